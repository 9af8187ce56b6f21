/** What a resolved WS block asks the WebSocket client (or a session) to do. */
import type { UrlRequestTarget } from '../../request';

export interface WsMessage {
  type: 'text' | 'binary';
  data: Buffer;
  /** 0-based line of the message in the .netreq file. */
  line?: number;
  /** Pause before sending this message (a `# @wait` line before it in the body), ms. */
  pauseMs?: number;
}

/** `WS ws://host/path`, `WS wss://…`: handshake (`headers` are the extra handshake headers), then the messages. */
export interface WsRequestSpec extends UrlRequestTarget {
  kind: 'ws';
  messages: WsMessage[];
  /** `# @wait`: keep the session open this long after the last send (default 1000). */
  waitMs: number;
}
