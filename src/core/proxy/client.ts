/**
 * One client connection to the proxy, on its socket: carries out what ./connectionMachine.ts decides (heads,
 * their deadline, exchanges in turn, refusals, the hand-over to a tunnel) and feeds it the socket's events.
 */
import type * as net from 'node:net';
import { ConnectionMachine, type ConnectionIo } from './connectionMachine';
import type { ExchangeIo } from './exchangeMachine';
import { ForwardedExchange, type ProxyCore } from './forwardedExchange';
import type { RequestHead } from './http1';
import { refuseAndLinger } from './messages';
import type { Refusal } from './server';
import { internalErrorText } from '../text';
import { hostPort } from '../transport/address';

/** What a client connection needs from the proxy. */
export interface ClientCore extends ProxyCore {
  tunnel(client: ClientConnection, req: RequestHead, rest: Buffer): void;
  emit(event: 'warning', message: string): boolean;
  emit(event: 'refused', refusal: Refusal): boolean;
}

export class ClientConnection implements ConnectionIo {
  private readonly machine: ConnectionMachine;
  private headTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly core: ClientCore,
    readonly socket: net.Socket,
  ) {
    this.machine = new ConnectionMachine(core, this);
    socket.on('data', this.onData);
    socket.on('error', this.onError);
    socket.on('close', this.onClose);
    socket.on('end', this.onEnd);
  }

  private readonly onEnd = (): void => this.machine.clientEnded();
  private readonly onError = (): void => undefined; // the close that follows ends the exchange
  private readonly onClose = (): void => this.machine.clientClosed();

  private readonly onData = (d: Buffer): void => {
    try {
      this.machine.clientData(d);
    } catch (e) {
      // A bug here must cost one connection, not the proxy and every other client.
      this.socket.destroy();
      this.core.emit('warning', `Internal error on a client connection (closed it): ${internalErrorText(e)}`);
      try {
        this.machine.abandon();
      } catch {
        /* the connection is gone either way */
      }
    }
  };

  exchangeIo(): ExchangeIo {
    return new ForwardedExchange(this.core, this);
  }

  pauseClient(): void {
    this.socket.pause();
  }

  resumeClient(): void {
    this.socket.resume();
  }

  endClient(): void {
    if (this.socket.destroyed) return;
    this.socket.resume(); // read (and drop) the rest, so the client's FIN closes the connection
    this.socket.end();
  }

  destroyClient(): void {
    this.socket.destroy();
  }

  refuseClient(status: string, message: string): void {
    this.core.emit('refused', { at: Date.now(), client: hostPort(this.socket.remoteAddress ?? '?', this.socket.remotePort ?? 0), status, reason: message });
    refuseAndLinger(this.socket, status, message);
  }

  startHeadTimer(): void {
    this.headTimer = setTimeout(this.headTimedOut, this.core.options.requestHeadTimeoutMs);
  }

  stopHeadTimer(): void {
    if (this.headTimer) clearTimeout(this.headTimer);
    this.headTimer = undefined;
  }

  private readonly headTimedOut = (): void => {
    this.headTimer = undefined;
    this.machine.headTimedOut();
  };

  tunnel(req: RequestHead, rest: Buffer): void {
    this.socket.off('data', this.onData);
    this.socket.off('close', this.onClose);
    this.socket.off('error', this.onError);
    this.socket.off('end', this.onEnd);
    this.stopHeadTimer();
    this.core.tunnel(this, req, rest);
  }
}
