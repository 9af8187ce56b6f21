/**
 * A JSON-safe view of an Exchange, shared by the CLI's --json output and the webview messages.
 * Buffers become base64 (with a byte count), so nothing from the network is ever interpreted as markup.
 */
import type { HttpExchange, HttpRequestRecord, HttpResponseRecord, SocketExchange, TranscriptEntry, WsExchange, WsFrame } from './exchange';

export interface BytesJson {
  base64: string;
  length: number;
  /** The total when `base64` holds only the first part. */
  totalLength?: number;
}

export type HttpResponseJson = Omit<HttpResponseRecord, 'rawBody' | 'body'> & {
  rawBody: BytesJson;
  body: BytesJson;
};

export type HttpExchangeJson = Omit<HttpExchange, 'sent' | 'received' | 'response' | 'request' | 'authChallenge'> & {
  request: HttpRequestRecord;
  sent: BytesJson;
  received: BytesJson;
  response?: HttpResponseJson;
  /** The 401 Digest challenge exchange that came before this one (Authorization: Digest). */
  authChallenge?: HttpExchangeJson;
};

export function bytesJson(b: Buffer, limit = Infinity): BytesJson {
  if (b.length <= limit) return { base64: b.toString('base64'), length: b.length };
  return { base64: b.subarray(0, limit).toString('base64'), length: limit, totalLength: b.length };
}

/** An HTTP exchange as JSON; `bodyLimit` caps the body bytes carried (the webview shows the first part of a huge body). */
export function httpExchangeToJson(x: HttpExchange, bodyLimit = Infinity): HttpExchangeJson {
  const { sent, received, response, authChallenge, ...rest } = x;
  return {
    ...rest,
    ...(authChallenge ? { authChallenge: httpExchangeToJson(authChallenge, bodyLimit) } : {}),
    sent: bytesJson(sent, Math.max(bodyLimit, 64 * 1024)),
    received: bytesJson(received, Math.max(bodyLimit, 64 * 1024)),
    response: response && {
      ...response,
      rawBody: bytesJson(response.rawBody, bodyLimit),
      body: bytesJson(response.body, bodyLimit),
    },
  };
}

export type TranscriptEntryJson = Omit<TranscriptEntry, 'data'> & { data: BytesJson };
export type SocketExchangeJson = Omit<SocketExchange, 'transcript'> & { transcript: TranscriptEntryJson[] };
export type WsFrameJson = Omit<WsFrame, 'data'> & { data: BytesJson };
export type WsExchangeJson = Omit<WsExchange, 'frames' | 'handshake'> & {
  frames: WsFrameJson[];
  handshake: Omit<WsExchange['handshake'], 'responseBody'> & { responseBody?: BytesJson };
};
/** Any kind of exchange as JSON (as `Exchange` is any kind; `HttpExchangeJson` is HTTP only). */
export type ExchangeJson = HttpExchangeJson | SocketExchangeJson | WsExchangeJson;

/** A socket exchange as JSON; `dataLimit` caps each chunk carried. */
export function socketExchangeToJson(x: SocketExchange, dataLimit = Infinity): SocketExchangeJson {
  return { ...x, transcript: x.transcript.map((e) => ({ ...e, data: bytesJson(e.data, dataLimit) })) };
}

/** A WebSocket exchange as JSON; `dataLimit` caps each frame (and the refused handshake's body) carried. */
export function wsExchangeToJson(x: WsExchange, dataLimit = Infinity): WsExchangeJson {
  const { responseBody, ...handshake } = x.handshake;
  return {
    ...x,
    handshake: { ...handshake, responseBody: responseBody && bytesJson(responseBody, dataLimit) },
    frames: x.frames.map((f) => ({ ...f, data: bytesJson(f.data, dataLimit) })),
  };
}

// Any exchange as JSON: exchangeToJson in protocols/registry.ts (each protocol module names its form).
