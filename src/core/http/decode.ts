/** Content-Encoding decoding for display; the raw bytes are always kept alongside. */
import type * as zlib from 'node:zlib';
import { nodeZlib } from '../lazyNode';

export interface Decoded {
  body: Buffer;
  encoding?: string;
  error?: string;
}

/** Decodes `raw` per the Content-Encoding list (applied in reverse order). Never throws. */
export function decodeBody(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): Decoded {
  if (!contentEncoding) return { body: raw };
  const codings = contentEncoding
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity');
  if (codings.length === 0 || raw.length === 0) return { body: raw, encoding: contentEncoding };
  let body = raw;
  for (const coding of codings.reverse()) {
    try {
      const opts = { maxOutputLength: Math.max(1, maxBytes) };
      switch (coding) {
        case 'gzip':
        case 'x-gzip':
          // Z_FINISH (the default): a stream cut short is an error, as for deflate and br, not a silently short body.
          body = nodeZlib().gunzipSync(body, opts);
          break;
        case 'deflate':
          // RFC 9110 says zlib-wrapped; some servers send raw deflate. Accept both.
          body = body.length > 0 && (body[0] & 0x0f) === 8 ? nodeZlib().inflateSync(body, opts) : nodeZlib().inflateRawSync(body, opts);
          break;
        case 'br':
          body = nodeZlib().brotliDecompressSync(body, opts);
          break;
        default:
          return { body: raw, encoding: contentEncoding, error: `Content-Encoding '${coding}' is not supported; showing the raw bytes` };
      }
    } catch (err) {
      const e = err as NodeJS.ErrnoException;
      const why =
        e.code === 'ERR_BUFFER_TOO_LARGE' || e instanceof RangeError
          ? `decoded body exceeds the ${maxBytes} byte limit`
          : e.code === 'Z_BUF_ERROR' || /unexpected end/i.test(e.message)
            ? `the ${coding} data is cut short (${e.message})`
            : e.message;
      return { body: raw, encoding: contentEncoding, error: `Could not decode ${coding} body: ${why}; showing the raw bytes` };
    }
  }
  return { body, encoding: contentEncoding };
}

/** What `decodeStart` made of the start of a body. */
export interface DecodedStart {
  /** The decoded bytes (at most `maxBytes`); the raw bytes when nothing could be decoded (`decoded` false). */
  body: Buffer;
  decoded: boolean;
  /** The decoded data went on past `maxBytes`: `body` holds its first `maxBytes` bytes. */
  cut?: boolean;
  /** The input ended before the compressed data did (expected when it is only the start of a body). */
  partial?: boolean;
  /** Why nothing (or not everything) could be decoded, in words. */
  error?: string;
}

type Decoder = zlib.Gunzip | zlib.Inflate | zlib.InflateRaw | zlib.BrotliDecompress;

function decoderFor(coding: string, first: Buffer | undefined): Decoder | undefined {
  switch (coding) {
    case 'gzip':
    case 'x-gzip':
      return nodeZlib().createGunzip();
    case 'deflate':
      // RFC 9110 says zlib-wrapped; some servers send raw deflate. Accept both, as decodeBody does.
      return first && first.length > 0 && (first[0] & 0x0f) !== 8 ? nodeZlib().createInflateRaw() : nodeZlib().createInflate();
    case 'br':
      return nodeZlib().createBrotliDecompress();
    default:
      return undefined;
  }
}

/**
 * Decodes `raw` per the Content-Encoding list for display when `raw` may be only the start of a body (a
 * proxy's preview): it keeps what the bytes decode to, at most `maxBytes`, and stops there — a
 * decompression bomb costs one zlib output chunk (16 KB) past the bound, never more. Streams run on
 * zlib's thread pool, so the event loop is not held. Never rejects.
 */
export function decodeStart(raw: Buffer, contentEncoding: string | undefined, maxBytes: number): Promise<DecodedStart> {
  const codings = (contentEncoding ?? '')
    .split(',')
    .map((c) => c.trim().toLowerCase())
    .filter((c) => c && c !== 'identity')
    .reverse();
  if (codings.length === 0 || raw.length === 0) return Promise.resolve({ body: raw, decoded: codings.length === 0 });
  const max = Math.max(1, Math.floor(maxBytes));
  const stages: Decoder[] = [];
  for (const coding of codings) {
    const d = decoderFor(coding, stages.length === 0 ? raw : undefined);
    if (!d) {
      for (const s of stages) s.destroy();
      return Promise.resolve({ body: raw, decoded: false, error: `Content-Encoding '${coding}' is not supported` });
    }
    stages.push(d);
  }
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    let size = 0;
    let settled = false;
    const finish = (r: Omit<DecodedStart, 'body' | 'decoded'>) => {
      if (settled) return;
      settled = true;
      for (const s of stages) {
        s.removeAllListeners('data');
        s.on('error', () => undefined);
        s.destroy();
      }
      resolve(size > 0 || !r.error ? { body: Buffer.concat(parts, size), decoded: true, ...r } : { body: raw, decoded: false, error: r.error });
    };
    stages.forEach((s, i) => {
      s.on('error', (err: NodeJS.ErrnoException) => {
        // The input ends before the compressed data does: the start of a body, decoded as far as it goes.
        if (err.code === 'Z_BUF_ERROR' && /unexpected end/i.test(err.message)) finish(size > 0 ? { partial: true } : { error: `the ${codings[i]} data ends before anything could be decoded` });
        else finish({ error: `the ${codings[i]} data is not valid (${err.message})` });
      });
      if (i + 1 < stages.length) s.pipe(stages[i + 1]);
    });
    const last = stages[stages.length - 1];
    last.on('data', (chunk: Buffer) => {
      if (settled) return;
      const room = max - size;
      if (chunk.length >= room) {
        parts.push(chunk.subarray(0, room));
        size += room;
        // Exactly at the bound with nothing after it is not cut; anything more is.
        if (chunk.length > room) return finish({ cut: true });
        return;
      }
      parts.push(chunk);
      size += chunk.length;
    });
    last.on('end', () => finish({}));
    stages[0].end(raw);
  });
}
