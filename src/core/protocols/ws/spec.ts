/** What a resolved WS block asks the WebSocket client (or a session) to do. */
import type { HeaderList } from '../../exchange';
import type { RequestOptions } from '../../request';

export interface WsMessage {
  type: 'text' | 'binary';
  data: Buffer;
  /** 0-based line of the message in the .netreq file. */
  line?: number;
  /** Pause before sending this message (a `# @wait` line before it in the body), ms. */
  pauseMs?: number;
}

/** `WS ws://host/path`, `WS wss://…`: handshake, then the messages. */
export interface WsRequestSpec {
  kind: 'ws';
  /** Full URL as resolved, e.g. wss://127.0.0.1:8443/chat */
  url: string;
  tls: boolean;
  host: string;
  port: number;
  servername?: string;
  /** Path + query for the handshake request line. */
  target: string;
  /** Extra handshake headers as written after substitution. */
  headers: HeaderList;
  messages: WsMessage[];
  /** `# @wait`: keep the session open this long after the last send (default 1000). */
  waitMs: number;
  options: RequestOptions;
}
