/**
 * The directive table: which `# @key value` directives exist, what their value is, and which
 * protocols they apply to. Plus `effectiveDirectives`, which turns a block's directive lines
 * into typed values for the resolver.
 */
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
  parseSize,
  parseText,
  type ConnectTo,
  type Eol,
  type Repeat,
  type ValueResult,
} from './values';

const SOCKET_TCP: readonly Protocol[] = ['tcp', 'tls', 'qotd', 'daytime', 'echo'];
const DATAGRAM: readonly Protocol[] = ['udp', 'multicast'];
const PAYLOAD: readonly Protocol[] = [...SOCKET_TCP, ...DATAGRAM];

export interface DirectiveSpec {
  /** Protocols it has an effect on; 'all' for every request. */
  applies: readonly Protocol[] | 'all';
  /** Validates (and converts) the value. */
  parse: (value: string) => ValueResult<unknown>;
  /** When set, the directive is accepted but only reported (REST Client directives NetReq ignores). */
  ignored?: { severity: 'info' | 'warning'; message: string };
}

const any = (v: string): ValueResult<unknown> => parseText(v);

/** Null prototype: `# @toString` or `# @constructor` must not find Object.prototype's members. */
export const DIRECTIVES: Readonly<Record<string, DirectiveSpec>> = Object.assign(Object.create(null) as Record<string, DirectiveSpec>, {
  name: { applies: 'all', parse: parseRequestName },
  timeout: { applies: 'all', parse: (v) => parseDuration(v) },
  insecure: { applies: ['http', 'tls', 'ws'], parse: parseFlag },
  'no-pool': { applies: 'all', parse: parseFlag },
  raw: { applies: ['http'], parse: parseFlag },
  proxy: { applies: ['http', 'ws', ...SOCKET_TCP], parse: parseProxyUrl },
  tls: { applies: ['http'], parse: parseFlag },
  connect: { applies: ['http', 'ws'], parse: parseConnect },
  eol: { applies: PAYLOAD, parse: parseEol },
  hex: { applies: PAYLOAD, parse: parseFlag },
  'read-until': { applies: SOCKET_TCP, parse: parseEscapedText },
  idle: { applies: SOCKET_TCP, parse: (v) => parseDuration(v) },
  'max-bytes': { applies: SOCKET_TCP, parse: parseSize },
  'half-close': { applies: SOCKET_TCP, parse: parseFlag },
  replies: { applies: DATAGRAM, parse: (v) => parseInteger(v, 1, 1_000_000, 'The number of replies') },
  ttl: { applies: ['multicast'], parse: (v) => parseInteger(v, 0, 255, 'TTL') },
  interface: { applies: ['multicast'], parse: parseInterface },
  loopback: { applies: ['multicast'], parse: parseOnOff },
  repeat: { applies: ['multicast'], parse: parseRepeat },
  wait: { applies: ['ws'], parse: (v) => parseDuration(v, true) },
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
} satisfies Record<string, DirectiveSpec>);

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
