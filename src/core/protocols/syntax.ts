/**
 * How one request kind is written in a `.netreq` file: its request-line word, label, example, target form,
 * head and body syntax, the directives that have an effect on it, and an optional pure check of its target.
 * Types only here; a kind's syntax file is data plus pure checks (netreq/hostport, netreq/diag at most): the
 * parser reads it (through kinds.ts), so nothing there may pull in the resolver or the engines.
 */
import type { AssertFieldSpec } from '../asserts/fields';

/** What follows the request-line word: a URL (`WS ws://…`), `host:port`, or a name and an optional word (`DNS example.com MX`). */
export type TargetForm = 'url' | 'host:port' | 'name';

/**
 * How the lines after the request line are read:
 * - 'http': headers, a blank line, then the body (text, `< ./file` or `<@ ./file`);
 * - 'payload': no headers; the body is the bytes to send (`# @eol`, `# @hex`, trailing blank lines count);
 * - 'ws-messages': handshake headers, then `>` message lines;
 * - 'none': nothing is sent after the request line (the resolver warns about text there).
 */
export type BodySyntax = 'http' | 'payload' | 'ws-messages' | 'none';

/** A problem `checkTarget` found, with offsets into the target token or the word after it, and a diagnostic code. */
export interface TargetProblem {
  readonly token: 'target' | 'after';
  readonly start: number;
  readonly end: number;
  readonly code: string;
  readonly message: string;
}

export interface KindSyntax {
  /** The protocol id a request line carries (`RequestLine.protocol`). */
  readonly id: string;
  /** The request-line word (upper case); absent for HTTP, which starts with a method or a URL. */
  readonly word?: string;
  /** How diagnostics name it ("has no effect on TCP requests"). */
  readonly label: string;
  /** A complete request line, quoted in diagnostics ("write just TCP 127.0.0.1:7"). */
  readonly example: string;
  readonly target: TargetForm;
  /** The port when the target has none (classic services); absent: the port is required (or the URL decides). */
  readonly defaultPort?: number;
  /** Header lines may follow the request line. */
  readonly headers: boolean;
  readonly body: BodySyntax;
  /**
   * Directives that have an effect on this kind, beyond the ones that apply to every request (`@name`,
   * `@timeout`, `@no-pool`, …). The directive table in netreq/directives.ts derives "where it applies" from these.
   */
  readonly directives: readonly string[];
  /** The `??` assert fields this kind has (data; the module's `asserts.read` reads them from an exchange). */
  readonly asserts: readonly AssertFieldSpec[];
  /**
   * Checks the target (and, for 'name' targets, the optional word after it) while the file is typed: a pure
   * function, no I/O. Absent: a 'host:port' target gets the generic host:port check, a 'url' target none.
   * Text holding `{{variables}}` is the checker's to skip; the resolver checks again after substitution.
   */
  readonly checkTarget?: (target: string, after: string | undefined) => readonly TargetProblem[];
}
