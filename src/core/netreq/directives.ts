/**
 * The directive table: which `# @key value` directives exist and what their value is. Which protocols a
 * directive applies to comes from the protocol modules (each kind's syntax lists its directives); the ones
 * every request takes are marked `applies: 'all'` here. Plus `effectiveDirectives`, which turns a block's directive lines
 * into typed values for the resolver.
 */
import { KINDS } from '../protocols/kinds';
import { parseDisabled, parsePrompt } from './interactive';
import type { Directive, Protocol } from './types';
import {
  parseConnect,
  parseDuration,
  parseEol,
  parseEscapedText,
  parseFlag,
  parseInteger,
  parseInterface,
  parseOnOff,
  parseProxyUrl,
  parseRepeat,
  parseRequestName,
  parseServer,
  parseSize,
  parseText,
  type ValueResult,
} from './values';

export interface DirectiveSpec {
  /** Protocols it has an effect on; 'all' for every request. */
  applies: readonly Protocol[] | 'all';
  /** Validates (and converts) the value. */
  parse: (value: string) => ValueResult<unknown>;
  /** When set, the directive is accepted but only reported (REST Client directives NetReq ignores). */
  ignored?: { severity: 'info' | 'warning'; message: string };
}

const any = (v: string): ValueResult<unknown> => parseText(v);

/**
 * A directive as defined here: 'all', or 'kinds' when the protocol modules say where it applies; `field`
 * names its value in EffectiveDirectives (absent: the resolver does not read it, e.g. `# @note`).
 */
type Definition = Omit<DirectiveSpec, 'applies'> & { applies: 'all' | 'kinds'; field?: string };

const DEFINITIONS = {
  name: { applies: 'all', parse: parseRequestName, field: 'name' },
  timeout: { applies: 'all', parse: (v) => parseDuration(v), field: 'timeoutMs' },
  insecure: { applies: 'kinds', parse: parseFlag, field: 'insecure' },
  'no-pool': { applies: 'all', parse: parseFlag, field: 'noPool' },
  raw: { applies: 'kinds', parse: parseFlag, field: 'raw' },
  proxy: { applies: 'kinds', parse: parseProxyUrl, field: 'proxy' },
  tls: { applies: 'kinds', parse: parseFlag, field: 'tls' },
  connect: { applies: 'kinds', parse: parseConnect, field: 'connect' },
  eol: { applies: 'kinds', parse: parseEol, field: 'eol' },
  hex: { applies: 'kinds', parse: parseFlag, field: 'hex' },
  'read-until': { applies: 'kinds', parse: parseEscapedText, field: 'readUntil' },
  idle: { applies: 'kinds', parse: (v) => parseDuration(v), field: 'idleMs' },
  'max-bytes': { applies: 'kinds', parse: parseSize, field: 'maxBytes' },
  'half-close': { applies: 'kinds', parse: parseFlag, field: 'halfClose' },
  replies: { applies: 'kinds', parse: (v) => parseInteger(v, 1, 1_000_000, 'The number of replies'), field: 'replies' },
  ttl: { applies: 'kinds', parse: (v) => parseInteger(v, 0, 255, 'TTL'), field: 'ttl' },
  interface: { applies: 'kinds', parse: parseInterface, field: 'interface' },
  loopback: { applies: 'kinds', parse: parseOnOff, field: 'loopback' },
  repeat: { applies: 'kinds', parse: parseRepeat, field: 'repeat' },
  wait: { applies: 'kinds', parse: (v) => parseDuration(v, true), field: 'waitMs' },
  server: { applies: 'kinds', parse: parseServer, field: 'server' },
  tcp: { applies: 'kinds', parse: parseFlag, field: 'tcp' },
  'no-recurse': { applies: 'kinds', parse: parseFlag, field: 'noRecurse' },
  health: { applies: 'all', parse: any },
  // REST Client: the editor asks "Are you sure you want to send …?" first (interactive.ts).
  note: { applies: 'all', parse: any },
  // REST Client: an input box per prompt before sending; the CLI takes --var name=value (interactive.ts).
  prompt: { applies: 'all', parse: parsePrompt },
  // httpyac: the block is skipped, never sent.
  disabled: { applies: 'all', parse: parseDisabled },
  // REST Client directives, accepted so pasted .http files stay quiet about them.
  'no-redirect': {
    applies: 'all',
    parse: any,
    ignored: { severity: 'info', message: '# @no-redirect has no effect: NetReq never follows redirects' },
  },
  'no-cookie-jar': {
    applies: 'all',
    parse: any,
    ignored: { severity: 'info', message: '# @no-cookie-jar has no effect: NetReq keeps no cookie jar' },
  },
} as const satisfies Record<string, Definition>;

/** The protocols whose syntax lists `key`, in the registry's order. */
function kindsTaking(key: string): readonly Protocol[] {
  return Object.freeze(KINDS.filter((k) => k.directives.includes(key)).map((k) => k.id));
}

/** Null prototype: `# @toString` or `# @constructor` must not find Object.prototype's members. */
export const DIRECTIVES: Readonly<Record<string, DirectiveSpec>> = Object.freeze(
  Object.assign(
    Object.create(null) as Record<string, DirectiveSpec>,
    Object.fromEntries(
      Object.entries(DEFINITIONS as Record<string, Definition>).map(([key, d]) => [key, Object.freeze({ ...d, applies: d.applies === 'all' ? 'all' : kindsTaking(key) })]),
    ),
  ),
);

export const DIRECTIVE_NAMES = Object.keys(DIRECTIVES);

/**
 * The same table as a Map, for lookups on the parse path: a keyed load from the frozen null-prototype object
 * above is slower in V8 (a frozen dictionary-mode object), and made parsing the 5,000-block bench file ~10 %
 * slower than the unfrozen table before it.
 */
const BY_KEY: ReadonlyMap<string, DirectiveSpec> = new Map(Object.entries(DIRECTIVES));

/** The directive `key`, or undefined when there is none (`# @toString` included). */
export function directiveSpec(key: string): DirectiveSpec | undefined {
  return BY_KEY.get(key);
}

export function appliesTo(key: string, protocol: Protocol): boolean {
  const spec = BY_KEY.get(key);
  if (!spec) return false;
  return spec.applies === 'all' || spec.applies.includes(protocol);
}

type Definitions = typeof DEFINITIONS;
type Parsed<P> = P extends (value: string) => ValueResult<infer T> ? T : never;

/**
 * Directive values after parsing, for the resolver, derived from DEFINITIONS (each `field`, typed by what its
 * parser returns). Absent fields were not written.
 */
export type EffectiveDirectives = {
  -readonly [K in keyof Definitions as Definitions[K] extends { field: infer F extends string } ? F : never]?: Parsed<Definitions[K]['parse']>;
};

/** Directive key → its EffectiveDirectives field (null prototype, as DIRECTIVES). */
const FIELDS: Readonly<Record<string, string>> = Object.freeze(
  Object.assign(
    Object.create(null) as Record<string, string>,
    Object.fromEntries(Object.entries(DEFINITIONS as Record<string, Definition>).flatMap(([key, d]) => (d.field ? [[key, d.field]] : []))),
  ),
);

export interface DirectiveProblem {
  directive: Directive;
  message: string;
}

/**
 * Applies directive values (already variable-substituted by the caller when needed) in order;
 * a later directive of the same key wins. Unknown keys are skipped (the parser warned).
 */
export function effectiveDirectives(
  list: ReadonlyArray<{ directive: Directive; value: string }>,
): { effective: EffectiveDirectives; problems: DirectiveProblem[] } {
  const effective: EffectiveDirectives = {};
  const problems: DirectiveProblem[] = [];
  for (const { directive, value } of list) {
    const spec = BY_KEY.get(directive.key);
    const field = FIELDS[directive.key];
    if (!spec || !field) continue;
    const r = spec.parse(value);
    if (r.ok) (effective as Record<string, unknown>)[field] = r.value;
    else problems.push({ directive, message: r.message });
  }
  return { effective, problems };
}
