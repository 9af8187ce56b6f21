/**
 * The directive table: which `# @key value` directives exist and what their value is. Which protocols a
 * directive applies to comes from the protocol modules (each kind's syntax lists its directives); the ones
 * every request takes are marked `applies: 'all'` here. Plus `effectiveDirectives`, which turns a block's directive lines
 * into typed values for the resolver.
 */
import { KINDS } from '../protocols/kinds';
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
  type ConnectTo,
  type Eol,
  type Repeat,
  type Server,
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

/** A directive as defined here: 'all', or 'kinds' when the protocol modules say where it applies. */
type Definition = Omit<DirectiveSpec, 'applies'> & { applies: 'all' | 'kinds' };

const DEFINITIONS = {
  name: { applies: 'all', parse: parseRequestName },
  timeout: { applies: 'all', parse: (v) => parseDuration(v) },
  insecure: { applies: 'kinds', parse: parseFlag },
  'no-pool': { applies: 'all', parse: parseFlag },
  raw: { applies: 'kinds', parse: parseFlag },
  proxy: { applies: 'kinds', parse: parseProxyUrl },
  tls: { applies: 'kinds', parse: parseFlag },
  connect: { applies: 'kinds', parse: parseConnect },
  eol: { applies: 'kinds', parse: parseEol },
  hex: { applies: 'kinds', parse: parseFlag },
  'read-until': { applies: 'kinds', parse: parseEscapedText },
  idle: { applies: 'kinds', parse: (v) => parseDuration(v) },
  'max-bytes': { applies: 'kinds', parse: parseSize },
  'half-close': { applies: 'kinds', parse: parseFlag },
  replies: { applies: 'kinds', parse: (v) => parseInteger(v, 1, 1_000_000, 'The number of replies') },
  ttl: { applies: 'kinds', parse: (v) => parseInteger(v, 0, 255, 'TTL') },
  interface: { applies: 'kinds', parse: parseInterface },
  loopback: { applies: 'kinds', parse: parseOnOff },
  repeat: { applies: 'kinds', parse: parseRepeat },
  wait: { applies: 'kinds', parse: (v) => parseDuration(v, true) },
  server: { applies: 'kinds', parse: parseServer },
  tcp: { applies: 'kinds', parse: parseFlag },
  'no-recurse': { applies: 'kinds', parse: parseFlag },
  health: { applies: 'all', parse: any },
  note: { applies: 'all', parse: any },
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
  prompt: {
    applies: 'all',
    parse: any,
    ignored: {
      severity: 'warning',
      message: '# @prompt is not supported: define the variable with @name = value, in an environment, or with --var',
    },
  },
} satisfies Record<string, Definition>;

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

export function appliesTo(key: string, protocol: Protocol): boolean {
  const spec = DIRECTIVES[key];
  if (!spec) return false;
  return spec.applies === 'all' || spec.applies.includes(protocol);
}

/** Directive values after parsing, for the resolver. Absent fields were not written. */
export interface EffectiveDirectives {
  name?: string;
  timeoutMs?: number;
  insecure?: boolean;
  noPool?: boolean;
  raw?: boolean;
  proxy?: string;
  tls?: boolean;
  connect?: ConnectTo;
  eol?: Eol;
  hex?: boolean;
  readUntil?: Buffer;
  idleMs?: number;
  maxBytes?: number;
  halfClose?: boolean;
  replies?: number;
  ttl?: number;
  interface?: string;
  loopback?: boolean;
  repeat?: Repeat;
  waitMs?: number;
  server?: Server;
  tcp?: boolean;
  noRecurse?: boolean;
}

type Setter = (e: EffectiveDirectives, v: unknown) => void;

const SETTERS: Record<string, Setter> = Object.assign(Object.create(null) as Record<string, Setter>, {
  name: (e, v) => (e.name = v as string),
  timeout: (e, v) => (e.timeoutMs = v as number),
  insecure: (e, v) => (e.insecure = v as boolean),
  'no-pool': (e, v) => (e.noPool = v as boolean),
  raw: (e, v) => (e.raw = v as boolean),
  proxy: (e, v) => (e.proxy = v as string),
  tls: (e, v) => (e.tls = v as boolean),
  connect: (e, v) => (e.connect = v as ConnectTo),
  eol: (e, v) => (e.eol = v as Eol),
  hex: (e, v) => (e.hex = v as boolean),
  'read-until': (e, v) => (e.readUntil = v as Buffer),
  idle: (e, v) => (e.idleMs = v as number),
  'max-bytes': (e, v) => (e.maxBytes = v as number),
  'half-close': (e, v) => (e.halfClose = v as boolean),
  replies: (e, v) => (e.replies = v as number),
  ttl: (e, v) => (e.ttl = v as number),
  interface: (e, v) => (e.interface = v as string),
  loopback: (e, v) => (e.loopback = v as boolean),
  repeat: (e, v) => (e.repeat = v as Repeat),
  wait: (e, v) => (e.waitMs = v as number),
  server: (e, v) => (e.server = v as Server),
  tcp: (e, v) => (e.tcp = v as boolean),
  'no-recurse': (e, v) => (e.noRecurse = v as boolean),
} satisfies Record<string, Setter>);

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
    const spec = DIRECTIVES[directive.key];
    const set = SETTERS[directive.key];
    if (!spec || !set) continue;
    const r = spec.parse(value);
    if (r.ok) set(effective, r.value);
    else problems.push({ directive, message: r.message });
  }
  return { effective, problems };
}
