/**
 * What an assert field is (name, argument, type, documentation with an example), and the fields every or most
 * request kinds share: `duration [phase]`, `timing.*`, `tls.*`, `connection.*`. Plain data plus pure readers: a
 * protocol's syntax (src/core/protocols/<id>/assertFields.ts) lists its fields from here and its own, so the
 * parser's checks, completion and hover derive "which fields this kind has" from the protocol modules.
 */
import type { Exchange } from '../exchange';

/** A value a field reads: typed like httpyac's (numbers, booleans, text, arrays of text). */
export type AssertValue = string | number | boolean | null | undefined | readonly unknown[] | { readonly [k: string]: unknown };

export interface AssertFieldSpec {
  /** `status`, `header`, `tls.daysLeft`, … */
  readonly name: string;
  /** Whether the field takes an argument between it and the operator (`header NAME`, `duration [phase]`). */
  readonly arg: 'none' | 'optional' | 'required';
  /** How the argument looks, for hover and messages: `NAME`, `$.json.path`, `PHASE`. */
  readonly argHint?: string;
  /** The arguments it takes, when they are a fixed list (`duration`'s phases). */
  readonly argValues?: readonly string[];
  /** The type of what it reads (numeric comparisons want a number on the right). */
  readonly type: 'number' | 'string' | 'boolean' | 'array' | 'any';
  /** One or two sentences; Markdown. */
  readonly doc: string;
  readonly example: string;
  /**
   * What `exists` tests: httpyac's fields follow httpyac (`!!value`: 0, '' and false fail it); NetReq's own
   * fields and JSONPath follow Hurl (the value is there, whatever it is).
   */
  readonly exists?: 'truthy' | 'defined';
  /** httpyac has this field (a `.http` file that uses it means the same in both tools). */
  readonly httpyac?: boolean;
}

/** What reading a field gave: a value (undefined = not there), or why it could not be read, in words. */
export type FieldRead = { value: AssertValue; bytes?: Buffer } | { error: string };

/** What one evaluation parsed of a body already (one body, several asserts): see body.ts. */
export interface BodyCache {
  text?: string;
  json?: { value: unknown } | { error: string };
  xml?: { doc: unknown } | { error: string };
}

/** What a reader gets besides the exchange: the clock (`tls.daysLeft`) and what was parsed of the body already. */
export interface ReadContext {
  now: number;
  cache: BodyCache;
}

/**
 * A protocol module's asserts (ProtocolModule.asserts): the fields its kinds have (the union; each kind's own list
 * is its syntax's `asserts`) and how a field is read from one of its exchanges.
 */
export interface ProtocolAsserts<X extends Exchange = Exchange> {
  readonly fields: readonly AssertFieldSpec[];
  read(x: X, field: string, arg: string | undefined, ctx: ReadContext): FieldRead;
}

/** httpyac's `duration` phases (got's timings) mapped to NetReq's Timings. `wait` (for a socket) is not measured. */
export const DURATION_PHASES: Readonly<Record<string, keyof Exchange['timings']>> = Object.freeze({
  total: 'total',
  dns: 'dnsLookup',
  tcp: 'tcpConnect',
  tls: 'tlsHandshake',
  request: 'requestSent',
  firstByte: 'firstByte',
  download: 'download',
});

/** `timing.X` (ms) → Timings. */
export const TIMING_PHASES: Readonly<Record<string, keyof Exchange['timings']>> = Object.freeze({
  dns: 'dnsLookup',
  connect: 'tcpConnect',
  tls: 'tlsHandshake',
  firstByte: 'firstByte',
  download: 'download',
  total: 'total',
});

export const DURATION_FIELD: AssertFieldSpec = {
  name: 'duration',
  arg: 'optional',
  argHint: 'PHASE',
  argValues: Object.keys(DURATION_PHASES),
  type: 'number',
  exists: 'truthy',
  httpyac: true,
  doc: 'How long the exchange took in ms (httpyac’s field), or one phase: `total` (default), `dns`, `tcp`, `tls`, `request`, `firstByte`, `download`.',
  example: '?? duration < 500',
};

export const TIMING_FIELDS: readonly AssertFieldSpec[] = Object.keys(TIMING_PHASES).map((p) => ({
  name: `timing.${p}`,
  arg: 'none',
  type: 'number',
  doc: `Milliseconds spent in the ${p === 'firstByte' ? 'wait for the first response byte' : p === 'total' ? 'whole exchange' : `${p} phase`}; 0 when the phase did not happen (a reused connection has no DNS, connect or TLS).`,
  example: `?? timing.${p} < ${p === 'total' ? 1000 : 200}`,
}));

export const TLS_FIELDS: readonly AssertFieldSpec[] = [
  { name: 'tls.protocol', arg: 'none', type: 'string', doc: 'The negotiated TLS version.', example: '?? tls.protocol == TLSv1.3' },
  { name: 'tls.cipher', arg: 'none', type: 'string', doc: 'The negotiated cipher suite (OpenSSL name).', example: '?? tls.cipher includes AES' },
  { name: 'tls.alpn', arg: 'none', type: 'string', doc: 'The ALPN protocol the server chose (absent when none).', example: '?? tls.alpn == http/1.1' },
  { name: 'tls.authorized', arg: 'none', type: 'boolean', doc: 'Whether the certificate chain verified against the trust store and the host name.', example: '?? tls.authorized isTrue' },
  { name: 'tls.daysLeft', arg: 'none', type: 'number', doc: 'Whole days until the leaf certificate expires (negative once expired).', example: '?? tls.daysLeft > 14' },
  { name: 'tls.issuer', arg: 'none', type: 'string', doc: 'The leaf certificate’s issuer (`CN=…, O=…`).', example: '?? tls.issuer includes Let’s Encrypt' },
  { name: 'tls.subject', arg: 'none', type: 'string', doc: 'The leaf certificate’s subject (`CN=…`).', example: '?? tls.subject includes CN=localhost' },
];

export const CONNECTION_FIELDS: readonly AssertFieldSpec[] = [
  { name: 'connection.reused', arg: 'none', type: 'boolean', doc: 'Whether the request went on a kept-alive connection from the pool.', example: '?? connection.reused isTrue' },
  { name: 'connection.id', arg: 'none', type: 'number', doc: 'The connection’s number in this process (1, 2, …): two requests on one connection share it.', example: '?? connection.id == 1' },
];

const DAY_MS = 86_400_000;

function noValue(x: Exchange, what: string): FieldRead {
  return x.error ? { error: `${what}: ${x.error.phase} failed: ${x.error.message}` } : { error: what };
}

/** Reads a shared field, or undefined when `field` is not one of them. `now` is the clock for `tls.daysLeft`. */
export function readCommon(x: Exchange, field: string, arg: string | undefined, now: number): FieldRead | undefined {
  if (field === 'duration' || field.startsWith('timing.')) {
    const key = field === 'duration' ? DURATION_PHASES[arg ?? 'total'] : TIMING_PHASES[field.slice(7)];
    if (!key) return { error: `no such phase: ${arg ?? field}` };
    const v = x.timings[key];
    if (v !== undefined) return { value: Math.round(v * 1000) / 1000 };
    if (x.error) return noValue(x, `no ${field === 'duration' ? `${arg ?? 'total'} phase` : field} time`);
    return { value: 0 };
  }
  if (field.startsWith('tls.')) {
    const t = x.tls;
    if (!t) return noValue(x, 'no TLS on this exchange');
    const leaf = t.chain[0];
    switch (field) {
      case 'tls.protocol':
        return { value: t.protocol ?? undefined };
      case 'tls.cipher':
        return { value: t.cipher ?? undefined };
      case 'tls.alpn':
        return { value: t.alpn ?? undefined };
      case 'tls.authorized':
        return { value: t.authorized };
      case 'tls.daysLeft':
        return leaf ? { value: Math.floor((Date.parse(leaf.validTo) - now) / DAY_MS) } : { error: 'the server sent no certificate' };
      case 'tls.issuer':
        return leaf ? { value: leaf.issuer } : { error: 'the server sent no certificate' };
      case 'tls.subject':
        return leaf ? { value: leaf.subject } : { error: 'the server sent no certificate' };
    }
    return undefined;
  }
  if (field === 'connection.reused' || field === 'connection.id') {
    const c = x.connection;
    if (!c) return noValue(x, 'no connection');
    return { value: field === 'connection.reused' ? c.reused : c.id };
  }
  return undefined;
}

/** Why a field of a response cannot be read: the exchange's error with its phase, in words. */
export function noResponse(x: Exchange, what = 'no response'): FieldRead {
  return noValue(x, what);
}

const BEFORE_EXCHANGE = new Set(['resolve', 'dns', 'connect', 'proxy', 'tls', 'cancelled']);

/** The exchange failed before anything could be sent or received: its fields other than timings cannot be read. */
export function failedEarly(x: Exchange): FieldRead | undefined {
  return x.error && BEFORE_EXCHANGE.has(x.error.phase) ? noValue(x, 'nothing was exchanged') : undefined;
}

/** The fields of several kinds, each name once, in order. */
export function unionFields(...lists: ReadonlyArray<readonly AssertFieldSpec[]>): readonly AssertFieldSpec[] {
  const seen = new Map<string, AssertFieldSpec>();
  for (const l of lists) for (const f of l) if (!seen.has(f.name)) seen.set(f.name, f);
  return Object.freeze([...seen.values()]);
}
