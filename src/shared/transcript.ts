/**
 * Pure helpers for the socket transcript view (TCP, TLS, QOTD, DAYTIME, ECHO, UDP, MULTICAST) and the
 * WebSocket frame log: rows, totals, stop reasons and one-line previews. No DOM, no Node, no vscode;
 * compiles under both tsconfigs. The views turn the results into text nodes.
 */
import type { StopReason } from '../core/exchange';
import type { SocketExchangeJson } from '../core/serialize';
import { base64ToBytes, formatBytes, formatMs, visualizeRaw, type RawSegment } from '../common/format';

type TranscriptEntryJson = SocketExchangeJson['transcript'][number];

/**
 * The datagram protocols (the datagram module's kinds). The webview cannot import src/core, so this is a copy;
 * test/unit/protocols/registry.test.ts checks that it equals the registry's.
 */
export const DATAGRAM_PROTOCOLS: readonly string[] = Object.freeze(['udp', 'multicast']);

/** UDP and multicast move datagrams; the stream protocols move chunks. */
export function isDatagramProtocol(protocol: string): boolean {
  return DATAGRAM_PROTOCOLS.includes(protocol);
}

/** "TCP", "TLS", "QOTD", "ECHO", "UDP", "MULTICAST". */
export function protocolLabel(protocol: string): string {
  return protocol.toUpperCase();
}

/** A time offset from the start of the exchange: "+0.52 ms", "+12.3 ms", "+1.50 s". */
export function formatOffset(ms: number): string {
  return `+${formatMs(Math.max(0, ms))}`;
}

export interface TranscriptRow {
  /** 0-based position in the transcript. */
  index: number;
  dir: 'sent' | 'received';
  /** → for sent, ← for received. */
  arrow: '→' | '←';
  /** ms since the exchange started. */
  atMs: number;
  /** "+12.3 ms" */
  at: string;
  /** The chunk's real size in bytes (even when only part of it was carried). */
  size: number;
  /** "12 B" */
  sizeText: string;
  /** The bytes carried to the view (may be fewer than `size`). */
  bytes: Uint8Array;
  /** The datagram's peer ("127.0.0.1:9001"). */
  peer?: string;
  /** True when `bytes` holds only the first part of the chunk (or nothing). */
  cut: boolean;
}

/** One row per chunk / datagram, in the order they happened. */
export function transcriptRows(entries: readonly TranscriptEntryJson[]): TranscriptRow[] {
  return entries.map((e, index) => {
    const size = e.data.totalLength ?? e.data.length;
    return {
      index,
      dir: e.dir,
      arrow: e.dir === 'sent' ? '→' : '←',
      atMs: e.at,
      at: formatOffset(e.at),
      size,
      sizeText: formatBytes(size),
      bytes: base64ToBytes(e.data.base64),
      peer: e.peer,
      cut: e.data.totalLength !== undefined && e.data.totalLength > e.data.length,
    };
  });
}

export interface TranscriptTotals {
  sentBytes: number;
  receivedBytes: number;
  sentChunks: number;
  receivedChunks: number;
  /** 'chunk' (TCP/TLS) or 'datagram' (UDP/multicast). */
  unit: 'chunk' | 'datagram';
  /** "sent 5 B in 1 chunk · received 12 B in 2 chunks" */
  summary: string;
}

function count(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Bytes and chunks both ways (bytes as the engine counted them, even past what was carried). */
export function transcriptTotals(x: Pick<SocketExchangeJson, 'request' | 'transcript' | 'sentBytes' | 'receivedBytes' | 'datagramsReceived'>): TranscriptTotals {
  const unit = isDatagramProtocol(x.request.protocol) ? 'datagram' : 'chunk';
  let sentChunks = 0;
  let receivedChunks = 0;
  for (const e of x.transcript) {
    if (e.dir === 'sent') sentChunks++;
    else receivedChunks++;
  }
  // Datagrams past what the exchange keeps are counted by the engine, not carried.
  if (typeof x.datagramsReceived === 'number' && x.datagramsReceived > receivedChunks) receivedChunks = x.datagramsReceived;
  const summary = `sent ${formatBytes(x.sentBytes)} in ${count(sentChunks, unit)} · received ${formatBytes(x.receivedBytes)} in ${count(receivedChunks, unit)}`;
  return { sentBytes: x.sentBytes, receivedBytes: x.receivedBytes, sentChunks, receivedChunks, unit, summary };
}

/** Short labels for why reading stopped; the exchange's `stopDetail` has the words with the numbers. */
export const STOP_LABELS: Record<StopReason, string> = {
  'peer-closed': 'Peer closed',
  'read-until': 'Read-until text received',
  idle: 'Idle',
  'max-bytes': 'Max bytes reached',
  timeout: 'Timed out',
  'echo-complete': 'Echo complete',
  replies: 'Replies received',
  'wait-elapsed': 'Reply window ended',
  error: 'Error',
  cancelled: 'Cancelled',
};

/** "Stopped: the server closed the connection" (the label alone when there are no words). */
export function describeStop(stop: StopReason, detail: string): string {
  const words = detail.trim() || STOP_LABELS[stop] || stop;
  return `Stopped: ${words}`;
}

/** ECHO only: ✓ when what came back equals what was sent, ✗ (with both sizes) when not. */
export function echoVerdict(x: Pick<SocketExchangeJson, 'echoMatches' | 'sentBytes' | 'receivedBytes'>): { ok: boolean; text: string } | undefined {
  if (x.echoMatches === undefined) return undefined;
  if (x.echoMatches) return { ok: true, text: `✓ What came back equals what was sent (${formatBytes(x.sentBytes)})` };
  return { ok: false, text: `✗ What came back differs from what was sent (sent ${formatBytes(x.sentBytes)}, got back ${formatBytes(x.receivedBytes)})` };
}

/**
 * A one-line preview of bytes: the same visible controls as the Raw view (␍ ␊ ␉ ␛ ␀, «xx» for bytes
 * that are not UTF-8) but no line breaks, at most `maxChars` characters of text.
 */
export function inlinePreview(bytes: Uint8Array, maxChars = 160): { segments: RawSegment[]; cut: boolean } {
  // Each character needs at most 4 bytes, so this many bytes always covers maxChars characters.
  const lines = visualizeRaw(bytes, maxChars * 4);
  const segments: RawSegment[] = [];
  let chars = 0;
  let cut = bytes.length > maxChars * 4;
  outer: for (const line of lines) {
    for (const seg of line) {
      const room = maxChars - chars;
      if (room <= 0) {
        cut = true;
        break outer;
      }
      const cps = [...seg.text];
      if (cps.length > room) {
        if (seg.kind === 'text') segments.push({ kind: 'text', text: cps.slice(0, room).join('') });
        cut = true;
        break outer;
      }
      segments.push(seg);
      chars += cps.length;
    }
  }
  return { segments, cut };
}

/** The first `maxBytes` bytes as spaced hex pairs ("48 65 6c 6c 6f"), with whether more followed. */
export function hexPreview(bytes: Uint8Array, maxBytes = 32): { text: string; cut: boolean } {
  const n = Math.min(bytes.length, maxBytes);
  const parts: string[] = [];
  for (let i = 0; i < n; i++) parts.push(bytes[i].toString(16).padStart(2, '0'));
  return { text: parts.join(' '), cut: bytes.length > maxBytes };
}
