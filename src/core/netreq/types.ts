/**
 * The parsed shape of a `.netreq` file. All positions are 0-based (line, column in UTF-16 code units),
 * as VS Code's Position is; the CLI adds 1 when it prints file:line:col.
 */
import type { Protocol } from '../protocols/kinds';
import type { RequestSpec, RequestOptions } from '../request';
import type { AssertCheck } from '../asserts/types';
import type { Exchange } from '../exchange';

export type { Protocol };

export type Severity = 'error' | 'warning' | 'info';

export interface Position {
  line: number;
  col: number;
}

export interface Span {
  start: Position;
  end: Position; // exclusive
}

export interface Diagnostic {
  span: Span;
  severity: Severity;
  message: string;
  /** Stable machine code, e.g. 'unknown-protocol', 'bad-port', 'undefined-variable'. */
  code: string;
  /** For 'undefined-variable': the variable's name, so a caller that knows the environment can drop it. */
  variable?: string;
  /** Edits that fix it (quick fixes in the editor), the preferred one first. */
  fixes?: DiagnosticFix[];
}

/** A quick fix: a title in words and the text edits that make it. */
export interface DiagnosticFix {
  title: string;
  edits: Array<{ span: Span; text: string }>;
}

export interface Directive {
  key: string;
  /** Raw text after the key, trimmed; '' when absent. */
  value: string;
  line: number;
  span: Span;
}

export interface VariableDef {
  name: string;
  /** Raw (unresolved) value text. */
  value: string;
  line: number;
  span: Span;
}

export interface HeaderLine {
  /** Raw text with {{vars}} unresolved. */
  name: string;
  value: string;
  line: number;
  /** Full raw text of the line as written (what `# @raw` sends). The parser always sets it. */
  text?: string;
}

export interface RequestLine {
  line: number;
  /** Full raw text of the line. */
  text: string;
  protocol: Protocol;
  /** HTTP method or the protocol word as written (GET, TCP, QOTD...). */
  method: string;
  /** Raw target text (URL, host:port, path...) with {{vars}} unresolved. */
  target: string;
  targetSpan: Span;
  /** HTTP version when written, e.g. "HTTP/1.0". */
  version?: string;
}

export interface BodySource {
  /** Inline body lines, raw (variables unresolved), joined with '\n'. */
  text: string;
  startLine: number;
  endLine: number;
  /** `< ./file` (substitute=false) or `<@ ./file` (substitute=true) as the whole body. */
  file?: { path: string; substitute: boolean; line: number };
  /**
   * `.http` files: the document line of each line of `text` when comment lines were removed from the body (absent:
   * line i of `text` is document line startLine + i). Use bodyLine() / bodyIndex() from dialect.ts.
   */
  lines?: number[];
  /** `.http` files: the comment lines removed from the body (never sent; `# @raw` keeps them). */
  removedLines?: number[];
  /**
   * Socket bodies only: blank lines written after the last body line, up to the end of the block
   * (the empty line after the file's final newline does not count). `# @eol crlf|lf` sends them.
   */
  trailingBlankLines?: number;
}

/** A `?? FIELD [ARG] OPERATOR [EXPECTED]` line (httpyac's assert syntax): never sent; src/core/asserts reads it. */
export interface AssertLine {
  /** The line's text as written (leading blanks kept). */
  text: string;
  line: number;
  /** From the `??` to the last non-blank character. */
  span: Span;
}

/**
 * Which tool's rules a file follows: `.netreq` files NetReq's own, `.http` / `.rest` files what REST Client and
 * httpyac do with them (comment lines removed from bodies, …; see docs/compatibility.md).
 */
export type Dialect = 'netreq' | 'http';

export interface ParseOptions {
  /** Default 'netreq'. */
  dialect?: Dialect;
}

export interface Block {
  index: number;
  /** Text after `###` on the separator line, trimmed ('' if none). */
  title: string;
  /** `# @name id` */
  name?: string;
  /** First and last line of the block (the `###` line included when there is one). */
  startLine: number;
  endLine: number;
  requestLine?: RequestLine;
  directives: Directive[];
  /** `@x = y` lines inside this block before the request line (request-scoped variables). */
  variables: VariableDef[];
  headers: HeaderLine[];
  body?: BodySource;
  /** A `curl …` command (its lines, joined with '\n'): the HTTP module reads it (protocols/http/curlResolve.ts). */
  curl?: { line: number; endLine: number; text: string };
  /** `??` lines after the request line (in the header section, or after the body), in order; shared empty array when none. */
  asserts: readonly AssertLine[];
}

export interface NetreqDocument {
  /** The rules the file was parsed by. */
  dialect: Dialect;
  blocks: Block[];
  /** File variables (`@x = y` outside any request), in order. Valid for the whole file. */
  variables: VariableDef[];
  diagnostics: Diagnostic[];
}

/** Named sets of variables; `$shared` applies to every environment. */
export type Environments = Record<string, Record<string, string>>;

/**
 * Request variables (`{{login.response.body.$.token}}`, REST Client's chaining): the requests of this file already
 * sent in this run (CLI) or session (editor), by their `# @name`. The newest exchange of each name.
 */
export interface SentRequests {
  get(name: string): SentRequest | undefined;
  /** For messages: "has not been sent in this run" (CLI, the default) or "in this session" (editor). */
  readonly scope?: 'run' | 'session';
}

export interface SentRequest {
  /** The block's index in its document. */
  block: number;
  spec: RequestSpec;
  exchange: Exchange;
}

/** What the resolver needs from the outside world: passed in, never global. */
export interface ResolveContext {
  /** Name of the active environment, or undefined for none ($shared still applies). */
  environmentName?: string;
  environments?: Environments;
  /** CLI --var k=v: highest precedence. */
  overrides?: Record<string, string>;
  /**
   * `# @prompt name` answers (the editor's input boxes; the CLI's --var for a prompted name): above every other
   * source, as in REST Client. SECRETS: reports and history must not write these values (names: the keys).
   */
  promptValues?: Record<string, string>;
  /**
   * Environment variables whose values are secrets (from http-client.private.env.json or a .env file): reports
   * mask the values expanded from them, as they mask `{{$processEnv}}` / `{{$dotenv}}` values.
   */
  secretNames?: ReadonlySet<string>;
  /** Directory of the .netreq file, for `< ./file`, `<@ ./file` and `.env`. */
  baseDir?: string;
  /** process.env, or a stand-in for tests. */
  processEnv: Record<string, string | undefined>;
  readFile: (absolutePath: string) => Promise<Buffer>;
  /** Defaults from settings / CLI flags; directives override them. */
  defaults: RequestOptions;
  /** Clock for $timestamp / $datetime. */
  now?: () => Date;
  /**
   * Restricted Mode (VS Code with an untrusted workspace): `{{$processEnv}}` and `{{$dotenv}}` are refused,
   * and body files are read only inside these folders (after `..` and symbolic links are resolved).
   * Absent: nothing is restricted (a trusted workspace, the CLI).
   */
  restricted?: { folders: readonly string[] };
  /** Request variables' source; absent: `{{name.response.…}}` cannot be resolved (an error naming the request). */
  sent?: SentRequests;
}

export type ResolveResult =
  | { ok: true; request: RequestSpec; diagnostics: Diagnostic[]; asserts: AssertCheck[]; /** Values reports must mask (VariableResolver.secrets). */ secrets?: string[] }
  | { ok: false; diagnostics: Diagnostic[] };
