/**
 * A WebSocket session from History, for the session panel: it "opens" by replaying its stored frames into the
 * panel's log and is closed from the start (send, ping and close say so). No socket. Pure: no `vscode`.
 */
import { EventEmitter } from 'node:events';
import type { WsExchange, WsState } from '../../core/exchange';
import type { WsSessionEvents } from '../../core/sockets/ws';

export class StoredWsSession extends EventEmitter<WsSessionEvents> {
  readonly exchange: WsExchange;
  private readonly frames: WsExchange['frames'];

  constructor(stored: WsExchange) {
    super();
    this.frames = stored.frames;
    // The panel's log is filled by the replay: the exchange starts with no frames, as a live one does.
    this.exchange = { ...stored, frames: [], state: 'closed' };
  }

  get state(): WsState {
    return 'closed';
  }

  /** Replays the stored frames; never connects (false: there is no session to run a script on). */
  open(): Promise<boolean> {
    for (const f of this.frames) {
      this.exchange.frames.push(f);
      this.emit('frame', f);
    }
    this.emit('state', 'closed');
    return Promise.resolve(false);
  }

  private closedError(what: string): never {
    throw new Error(`Cannot ${what}: this session is from History (send the block for a new one)`);
  }

  sendText(): void {
    this.closedError('send');
  }

  sendBinary(): void {
    this.closedError('send');
  }

  ping(): void {
    this.closedError('ping');
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  whenClosed(): Promise<void> {
    return Promise.resolve();
  }
}
