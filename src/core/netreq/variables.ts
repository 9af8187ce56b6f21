/**
 * Variable substitution: `{{name}}`, `{{%name}}` (percent-encoded) and system variables.
 *
 * Precedence (highest first): ctx.overrides (CLI --var) > request-scoped (block.variables) >
 * file variables (document.variables; the last definition of a name wins, as in REST
 * Client) > the active environment > the `$shared` environment. Values may reference other
 * variables, at any level; loops are reported as 'variable-cycle'. File variable values take
 * REST Client's escapes (\n \r \t, and \x for a literal x).
 *
 * Bounded: one variable's value may not expand past MAX_VALUE_CHARS, all substitutions for one
 * request may not insert more than MAX_EXPANSION_CHARS, and variables may refer to each other at
 * most MAX_VARIABLE_DEPTH levels deep; each limit is a diagnostic naming the variable.
 */
import * as path from 'node:path';
import { Codes, errorText, q } from './diag';
import { blockNames, fileVariables } from './docIndex';
import { evalSystem, parseDotenv, type SystemPorts } from './system';
import { nestedMessage, requestVariablePrefix, scanRefs, type VarRef } from './templates';
import { chainText, loneSurrogate, shortName, wellFormed } from './varText';
import { requestVariableValue } from './requestVars';
import type { Block, Diagnostic, NetreqDocument, ResolveContext, Span, VariableDef } from './types';

/** Longest expanded value of one variable: 1 MiB of characters. */
export const MAX_VALUE_CHARS = 1024 * 1024;
/** Most characters that substitution may insert while preparing one request: 16 MiB. */
export const MAX_EXPANSION_CHARS = 16 * 1024 * 1024;
/** Deepest chain of variables referring to variables. */
export const MAX_VARIABLE_DEPTH = 64;

export type VariableSourceName = 'override' | 'request' | 'file' | 'environment' | 'shared';

export interface VariableLookup {
  value: string;
  source: VariableSourceName;
  /** The value is a secret (a private environment file's value): reports mask it, as they mask $processEnv / $dotenv values. */
  secret?: boolean;
}

/** Where a problem found while expanding a piece of text is reported. */
export type Placement = { line: number; col: number } | { span: Span; note: string };

export interface ResolverOptions {
  /** Random source for $randomInt (tests pass a fixed one). */
  random?: () => number;
}

/** REST Client escapes in file variable values: \n \r \t; `\x` is x. */
export function unescapeValue(raw: string): string {
  if (raw.indexOf('\\') < 0) return raw;
  let out = '';
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c !== '\\' || i + 1 >= raw.length) {
      out += c;
      continue;
    }
    const e = raw[++i];
    out += e === 'n' ? '\n' : e === 'r' ? '\r' : e === 't' ? '\t' : e;
  }
  return out;
}

/** The last definition of a name wins (REST Client's rule for file variables). */
function lastWins(defs: readonly VariableDef[]): Map<string, string> {
  const m = new Map<string, string>();
  for (const d of defs) m.set(d.name, unescapeValue(d.value));
  return m;
}

function record(r: Record<string, string> | undefined): Map<string, string> {
  const m = new Map<string, string>();
  if (!r || typeof r !== 'object') return m;
  for (const k of Object.keys(r)) {
    const v: unknown = r[k];
    // Settings JSON often holds numbers and booleans ("port": 8080): use them as text.
    if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') m.set(k, String(v));
  }
  return m;
}

export class VariableResolver {
  readonly diagnostics: Diagnostic[] = [];
  private readonly layers: Array<[VariableSourceName, Map<string, string>]>;
  private readonly shared: Record<string, string>;
  private readonly cache = new Map<string, string>();
  private readonly blockNames: Set<string>;
  private readonly seen = new Set<string>();
  /** Variables whose value was too large (reported once; never expanded again). */
  private readonly tooLarge = new Set<string>();
  /** Characters inserted by substitution so far (against MAX_EXPANSION_CHARS). */
  private inserted = 0;
  private errors = 0;
  /**
   * Values that reports must mask (`netreq test`, the CLI): every `{{$processEnv}}` and `{{$dotenv}}` value used, and
   * every variable whose lookup says `secret`, as expanded.
   */
  readonly secrets = new Set<string>();
  private dotenv?: Promise<{ values: Record<string, string> } | { error: string }>;

  constructor(
    private readonly doc: NetreqDocument,
    private readonly block: Block | undefined,
    private readonly ctx: ResolveContext,
    private readonly opts: ResolverOptions = {},
  ) {
    const envs = ctx.environments ?? {};
    this.shared = { ...(envs.$shared ?? {}) };
    const env = ctx.environmentName && ctx.environmentName !== '$shared' ? envs[ctx.environmentName] : undefined;
    this.layers = [
      ['override', record(ctx.promptValues ? { ...ctx.overrides, ...ctx.promptValues } : ctx.overrides)],
      ['request', lastWins(block?.variables ?? [])],
      ['file', fileVariables(doc)],
      ['environment', record(env)],
      ['shared', record(this.shared)],
    ];
    this.blockNames = blockNames(doc);
  }

  /** The raw (unexpanded) value of a variable and where it comes from. */
  lookup(name: string): VariableLookup | undefined {
    for (const [source, m] of this.layers) {
      const v = m.get(name);
      if (v === undefined) continue;
      const secret =
        source === 'override'
          ? this.ctx.promptValues !== undefined && Object.prototype.hasOwnProperty.call(this.ctx.promptValues, name)
          : (source === 'environment' || source === 'shared') && this.ctx.secretNames?.has(name) === true;
      return secret ? { value: v, source, secret } : { value: v, source };
    }
    return undefined;
  }

  /** Expands every `{{…}}` in text; problems become diagnostics at the placement. */
  async expand(text: string, at: Placement): Promise<string> {
    if (text.indexOf('{{') < 0) return text;
    return (await this.expandText(text, [], (r) => this.place(at, r))) ?? text;
  }

  /** The fully expanded value of one variable, or undefined (with a diagnostic) when it cannot be. */
  async value(name: string, at: Span): Promise<string | undefined> {
    return this.valueOf(name, [], at);
  }

  get hasErrors(): boolean {
    return this.errorCount > 0;
  }

  get errorCount(): number {
    return this.errors;
  }

  private place(at: Placement, r: { start: number; end: number }): { span: Span; note: string } {
    if ('span' in at) return at;
    return { span: { start: { line: at.line, col: at.col + r.start }, end: { line: at.line, col: at.col + r.end } }, note: '' };
  }

  private report(span: Span, severity: Diagnostic['severity'], code: string, message: string): void {
    const key = `${span.start.line}:${span.start.col}:${code}:${message}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    if (severity === 'error') this.errors++;
    this.diagnostics.push({ span, severity, code, message });
  }

  /** undefined when the value of the variable being expanded (the last in chain) grew past MAX_VALUE_CHARS. */
  private async expandText(
    text: string,
    chain: string[],
    place: (r: { start: number; end: number }) => { span: Span; note: string },
  ): Promise<string | undefined> {
    const { refs, unterminated } = scanRefs(text);
    // A value with no references is used as written (the size limit is on growth by substitution).
    for (const u of unterminated) {
      const p = place({ start: u, end: text.length });
      const inVar = chain.length > 0 ? ` (in the value of '${chain[chain.length - 1]}')` : '';
      this.report(p.span, 'error', Codes.unterminatedVariable, `'{{' is not closed${inVar}: write {{name}}${p.note}`);
    }
    let out = '';
    let last = 0;
    for (const r of refs) {
      out += text.slice(last, r.start);
      last = r.end;
      const p = place(r);
      const v = this.inserted > MAX_EXPANSION_CHARS ? undefined : await this.refValue(r, chain, p);
      if (v !== undefined) {
        this.inserted += v.length;
        if (this.inserted > MAX_EXPANSION_CHARS) {
          this.report(
            p.span,
            'error',
            Codes.expansionTooLarge,
            `Substituting variables in this request would insert more than ${MAX_EXPANSION_CHARS.toLocaleString('en-US')} characters (16 MiB), the limit for one request; NetReq stopped here: check for a variable used many times or one that doubles itself${p.note}`,
          );
        }
      }
      out += this.inserted > MAX_EXPANSION_CHARS ? text.slice(r.start, r.end) : (v ?? text.slice(r.start, r.end));
      if (chain.length > 0 && out.length > MAX_VALUE_CHARS) return this.valueTooLarge(chain, p);
    }
    out += text.slice(last);
    if (chain.length > 0 && refs.length > 0 && out.length > MAX_VALUE_CHARS) return this.valueTooLarge(chain, place({ start: 0, end: 0 }));
    return out;
  }

  private valueTooLarge(chain: string[], p: { span: Span; note: string }): undefined {
    const name = chain[chain.length - 1];
    this.tooLarge.add(name);
    const via = chain.length > 1 ? ` (reached through ${chainText(chain)})` : '';
    this.report(
      p.span,
      'error',
      Codes.valueTooLarge,
      `The value of ${q(name)}${via} expands to more than ${MAX_VALUE_CHARS.toLocaleString('en-US')} characters (1 MiB), the limit for one variable; NetReq stopped expanding it: check for a variable that doubles itself, e.g. @a = {{b}}{{b}}${p.note}`,
    );
    return undefined;
  }

  private async refValue(r: VarRef, chain: string[], p: { span: Span; note: string }): Promise<string | undefined> {
    if (r.kind === 'nested') {
      this.report(p.span, 'error', Codes.nestedVariable, `${nestedMessage(r)}${p.note}`);
      return undefined;
    }
    if (r.kind === 'system') {
      const res = await evalSystem(r, this.ports(chain, p.span));
      if ('error' in res) {
        this.report(p.span, 'error', res.code, `${res.error}${p.note}`);
        return undefined;
      }
      if (res.warning) this.report(p.span, 'warning', Codes.envVarNotSet, `${res.warning}${p.note}`);
      if ((r.name === 'processEnv' || r.name === 'dotenv') && res.value) this.secrets.add(res.value);
      return res.value;
    }
    if (r.name === '') {
      this.report(p.span, 'error', Codes.emptyVariable, `Empty variable reference: write {{name}}${p.note}`);
      return undefined;
    }
    const v = await this.valueOf(r.name, chain, p.span, p.note);
    if (v === undefined) return undefined;
    if (r.kind !== 'percent') return v;
    const lone = loneSurrogate(v);
    if (lone < 0) return encodeURIComponent(v);
    const hex = v.charCodeAt(lone).toString(16).toUpperCase();
    this.report(
      p.span,
      'warning',
      Codes.loneSurrogate,
      `The value of ${q(r.name)} holds a lone UTF-16 surrogate (U+${hex} at character ${lone + 1}), which is not text: {{%${shortName(r.name)}}} encodes it as U+FFFD (%EF%BF%BD)${p.note}`,
    );
    return encodeURIComponent(wellFormed(v));
  }

  private async valueOf(name: string, chain: string[], span: Span, note = ''): Promise<string | undefined> {
    if (chain.includes(name)) {
      const loop = [...chain.slice(chain.indexOf(name)), name].map(shortName).join(' → ');
      this.report(span, 'error', Codes.variableCycle, `Variables refer to each other in a loop: ${loop}; break the loop by giving one of them a plain value${note}`);
      return undefined;
    }
    const cached = this.cache.get(name);
    if (cached !== undefined) return cached;
    if (this.tooLarge.has(name)) return undefined; // reported where it was first expanded
    if (chain.length >= MAX_VARIABLE_DEPTH) {
      this.report(
        span,
        'error',
        Codes.variableChainTooDeep,
        `Variables refer to each other more than ${MAX_VARIABLE_DEPTH} levels deep (${chainText([...chain, name])}); NetReq stops there: give a variable in this chain a plain value${note}`,
      );
      return undefined;
    }
    const found = this.lookup(name);
    if (!found) {
      const prefix = requestVariablePrefix(name);
      if (prefix !== undefined) return this.requestValue(name, prefix, chain, span, note);
      const usedBy = chain.length > 0 ? ` (used by '${chain[chain.length - 1]}')` : '';
      const env = this.ctx.environmentName ? `the active environment '${this.ctx.environmentName}'` : 'an environment (none is active)';
      this.report(
        span,
        'error',
        Codes.undefinedVariable,
        `Variable '${name}'${usedBy} is not defined: define it in this file (@${name} = value), in ${env} or $shared, or pass --var ${name}=value${note}`,
      );
      return undefined;
    }
    const v = await this.expandText(found.value, [...chain, name], () => ({ span, note }));
    if (v !== undefined) this.cache.set(name, v);
    if (v && found.secret) this.secrets.add(v);
    return v;
  }

  /** `{{login.response.body.$.token}}`: from the requests already sent (requestVars.ts); never expanded again. */
  private requestValue(name: string, prefix: string, chain: string[], span: Span, note: string): string | undefined {
    const usedBy = chain.length > 0 ? ` (used by '${chain[chain.length - 1]}')` : '';
    if (!this.blockNames.has(prefix)) {
      this.report(span, 'error', Codes.undefinedVariable, `{{${shortName(name)}}}${usedBy}: no request named '${prefix}' in this file (name one with # @name ${prefix})${note}`);
      return undefined;
    }
    const r = requestVariableValue(name, { doc: this.doc, current: this.block, sent: this.ctx.sent, maxBodyBytes: this.ctx.defaults?.maxResponseBytes ?? MAX_VALUE_CHARS, maxChars: MAX_VALUE_CHARS });
    if ('error' in r) {
      this.report(span, 'error', r.code, `${r.error}${usedBy}${note}`);
      return undefined;
    }
    this.cache.set(name, r.value);
    return r.value;
  }

  private ports(chain: string[], span: Span): SystemPorts {
    return {
      now: this.ctx.now ?? (() => new Date()),
      random: this.opts.random ?? Math.random,
      processEnv: this.ctx.processEnv ?? {},
      shared: this.shared,
      dotenv: () => this.readDotenv(),
      variable: (n) => this.valueOf(n, chain, span),
      restricted: this.ctx.restricted !== undefined,
    };
  }

  private readDotenv(): Promise<{ values: Record<string, string> } | { error: string }> {
    if (!this.dotenv) {
      const dir = this.ctx.baseDir;
      if (!dir) {
        this.dotenv = Promise.resolve({ error: 'Cannot read .env: the file has not been saved, so there is no folder to look in' });
      } else {
        const file = path.join(dir, '.env');
        this.dotenv = this.ctx.readFile(file).then(
          (buf) => ({ values: parseDotenv(buf.toString('utf8')) }),
          (e: unknown) => ({ error: `Cannot read ${file}: ${describeFsError(e)}` }),
        );
      }
    }
    return this.dotenv;
  }
}

/** A person's words for a file system error. */
export function describeFsError(e: unknown): string {
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'EISDIR') return 'it is a folder, not a file';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return errorText(e);
}

/** Expands one piece of text for a block (e.g. a hover preview); never throws. */
export async function substitute(
  doc: NetreqDocument,
  block: Block | undefined,
  ctx: ResolveContext,
  text: string,
  at: Placement = { line: 0, col: 0 },
): Promise<{ text: string; diagnostics: Diagnostic[] }> {
  try {
    const r = new VariableResolver(doc, block, ctx);
    const out = await r.expand(text, at);
    return { text: out, diagnostics: r.diagnostics };
  } catch (e) {
    const span = 'span' in at ? at.span : { start: at, end: at };
    return { text, diagnostics: [{ span, severity: 'error', code: Codes.internalError, message: `Substitution failed: ${errorText(e)}` }] };
  }
}

/** The expanded value of a variable and its source (for hovers); never throws. */
export async function resolveVariable(
  doc: NetreqDocument,
  block: Block | undefined,
  ctx: ResolveContext,
  name: string,
): Promise<{ value?: string; source?: VariableSourceName; diagnostics: Diagnostic[] }> {
  const zero: Span = { start: { line: 0, col: 0 }, end: { line: 0, col: 0 } };
  try {
    const r = new VariableResolver(doc, block, ctx);
    const found = r.lookup(name);
    const value = await r.value(name, zero);
    return { value, source: found?.source, diagnostics: r.diagnostics };
  } catch (e) {
    return { diagnostics: [{ span: zero, severity: 'error', code: Codes.internalError, message: errorText(e) }] };
  }
}
