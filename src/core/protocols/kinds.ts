/**
 * Every request kind's syntax, in one frozen list taken from the protocol modules' syntax files. The parser,
 * the request line, the directive table and the checks read protocols from here; the `Protocol` union is
 * derived from it. A leaf on purpose: it imports no parser, resolver or engine code (registry.ts has those).
 */
import { datagramKinds } from './datagram/syntax';
import { dnsKinds } from './dns/syntax';
import { httpKinds } from './http/syntax';
import { streamKinds } from './stream/syntax';
import type { KindSyntax } from './syntax';
import { wsKinds } from './ws/syntax';

const ALL = [...httpKinds, ...streamKinds, ...datagramKinds, ...wsKinds, ...dnsKinds] as const;

/** The protocol a request line names: 'http' | 'tcp' | 'tls' | 'qotd' | 'daytime' | 'echo' | 'udp' | 'multicast' | 'ws' | 'dns'. */
export type Protocol = (typeof ALL)[number]['id'];

for (const k of ALL) {
  Object.freeze(k.directives);
  Object.freeze(k);
}

/** One kind's syntax, its id narrowed to the Protocol union. */
export type Kind = KindSyntax & { readonly id: Protocol };

/** In the order diagnostics list them (HTTP first, then the request-line words). */
export const KINDS: readonly Kind[] = Object.freeze([...ALL]);

const BY_ID: ReadonlyMap<string, Kind> = new Map(KINDS.map((k) => [k.id, k]));
const BY_WORD: ReadonlyMap<string, Kind> = new Map(KINDS.flatMap((k) => (k.word ? [[k.word, k] as const] : [])));

/** The syntax of a protocol (every Protocol has one). */
export function kindSyntax(protocol: Protocol): Kind {
  return BY_ID.get(protocol)!;
}

/** The kind a request-line word names (already upper case), or undefined. */
export function kindForWord(upper: string): Kind | undefined {
  return BY_WORD.get(upper);
}

/** The request-line words, in order: TCP, TLS, QOTD, DAYTIME, ECHO, UDP, MULTICAST, WS. */
export const PROTOCOL_WORD_LIST: readonly string[] = Object.freeze(KINDS.flatMap((k) => (k.word ? [k.word] : [])));

/** Word → protocol, e.g. { TCP: 'tcp', … }. */
export const PROTOCOL_WORDS: Readonly<Record<string, Protocol>> = Object.freeze(Object.fromEntries(KINDS.flatMap((k) => (k.word ? [[k.word, k.id]] : []))));

/** Default ports of the classic services; other socket protocols require a port. */
export const SERVICE_PORTS: Readonly<Partial<Record<Protocol, number>>> = Object.freeze(
  Object.fromEntries(KINDS.flatMap((k) => (k.defaultPort !== undefined ? [[k.id, k.defaultPort]] : []))),
);

/** "HTTP", "TCP", … as diagnostics name them. */
export function protocolLabel(protocol: Protocol): string {
  return kindSyntax(protocol).label;
}

/** Protocols whose body is a socket payload (`# @eol`, `# @hex`, trailing blank lines). */
export function takesPayload(protocol: Protocol): boolean {
  return kindSyntax(protocol).body === 'payload';
}
