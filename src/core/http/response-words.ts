/** The response parser's limits on what it keeps, and what it says in words: its notes, and why an early close is an error. */
import type { HeaderList } from '../exchange';
import { PhaseError } from '../transport/errors';
import type { FieldFixes, ResponseHead } from './head';

/** Interim (1xx) responses kept; later ones are counted, not kept. */
export const MAX_INTERIM_KEPT = 16;
/** All interim responses (and empty lines before a status line) together; past this the reading stops with an error. */
export const MAX_INTERIM_BYTES = 1024 * 1024;
/** Trailer fields kept; later ones are counted, not kept (the section itself is bounded by MAX_HEAD_BYTES). */
export const MAX_TRAILERS_KEPT = 100;

/** What the notes are made from (the parser's public fields). */
export interface ReadFacts {
  blankLines: number;
  interim: ResponseHead[];
  interimNotKept: number;
  fixes: FieldFixes;
  tunnel: boolean;
  head?: ResponseHead;
  ambiguousFraming?: string;
  trailers: HeaderList;
  trailersNotKept: number;
  extraBytes: number;
}

/** What a person should know about how the response was read (limits reached, bytes ignored, doubtful framing), in words. */
export function responseNotes(f: ReadFacts): string[] {
  const out: string[] = [];
  if (f.blankLines > 0) out.push(`${plural(f.blankLines, 'empty line')} before a status line ${f.blankLines === 1 ? 'was' : 'were'} ignored`);
  if (f.interimNotKept > 0) {
    out.push(`The server sent ${f.interim.length + f.interimNotKept} interim (1xx) responses; the first ${MAX_INTERIM_KEPT} are kept, ${f.interimNotKept} more were counted, not kept`);
  }
  const fixed = f.fixes.note();
  if (fixed) out.push(fixed);
  if (f.tunnel) out.push(`CONNECT answered ${f.head!.status}: the connection became a tunnel after the headers (RFC 9112 §6.3), so the response has no body; NetReq closed the tunnel`);
  if (f.ambiguousFraming) out.push(f.ambiguousFraming);
  if (f.trailersNotKept > 0) {
    out.push(`The server sent ${f.trailers.length + f.trailersNotKept} trailer fields; the first ${MAX_TRAILERS_KEPT} are kept, ${f.trailersNotKept} more were counted, not kept`);
  }
  if (f.extraBytes > 0) out.push(`${plural(f.extraBytes, 'byte')} ${f.tunnel ? 'that came through the tunnel' : 'after the response'} ${f.extraBytes === 1 ? 'was' : 'were'} ignored`);
  return out;
}

/** Where the parser was when the peer closed, and what it had read. */
export interface CloseFacts {
  state: 'head' | 'body-length' | 'trailers' | 'chunked';
  /** Bytes of the stream read so far, and how many of them wait in an incomplete line or head. */
  got: number;
  pending: number;
  interimCount: number;
  bodyBytes: number;
  /** Content-Length bytes still expected. */
  remaining: number;
}

/** The error for a connection closed before the response was complete. */
export function closedEarly(f: CloseFacts): PhaseError {
  if (f.state === 'head') {
    const between = f.interimCount > 0 ? ' after an interim (1xx) response' : '';
    return new PhaseError(
      f.got === 0 ? 'wait' : 'parse',
      f.got === 0
        ? 'The server closed the connection without sending a response'
        : f.pending === 0
          ? `The server closed the connection${between} without sending the final response (after ${f.got} bytes)`
          : `The server closed the connection in the middle of the response headers (after ${f.got} bytes)`,
      'ECONNCLOSED',
    );
  }
  if (f.state === 'body-length') {
    return new PhaseError('receive', `The server closed the connection before the body was complete: got ${f.bodyBytes} of ${f.bodyBytes + f.remaining} bytes (Content-Length)`, 'ECONNCLOSED');
  }
  if (f.state === 'trailers') {
    return new PhaseError('receive', `The server closed the connection in the trailer section, after the body was complete (${f.bodyBytes} body bytes)`, 'ECONNCLOSED');
  }
  return new PhaseError('receive', `The server closed the connection in the middle of a chunked body (after ${f.bodyBytes} body bytes; no final 0-size chunk)`, 'ECONNCLOSED');
}

export function plural(n: number, what: string): string {
  return `${n} ${what}${n === 1 ? '' : 's'}`;
}
