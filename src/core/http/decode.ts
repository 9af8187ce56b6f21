/** Content-Encoding decoding for display; the raw bytes are always kept alongside. */
import * as zlib from 'node:zlib';

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
          body = zlib.gunzipSync(body, opts);
          break;
        case 'deflate':
          // RFC 9110 says zlib-wrapped; some servers send raw deflate. Accept both.
          body = body.length > 0 && (body[0] & 0x0f) === 8 ? zlib.inflateSync(body, opts) : zlib.inflateRawSync(body, opts);
          break;
        case 'br':
          body = zlib.brotliDecompressSync(body, opts);
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
