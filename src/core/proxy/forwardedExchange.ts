/**
 * One forwarded exchange on sockets: carries out what ./exchangeMachine.ts decides — the upstream connection
 * taken from the pool or opened, writes with backpressure both ways (a side that does not take what is written
 * holds the other side's reads), the upstream deadline — and feeds the machine the upstream's events.
 */
import type { LookupFunction } from 'node:net';
import type { HeaderList } from '../exchange';
import type { ClientConnection } from './client';
import type { ExchangeIo, TimerEvents } from './exchangeMachine';
import type { ForwardingRules, UpstreamTarget } from './requestPlan';
import type { Flow, ProxyOptions } from './server';
import type { Upstream, UpstreamEvents, UpstreamPool } from './upstreams';
import { monoMs } from '../clock';

/** What an exchange needs from the proxy. */
export interface ProxyCore extends ForwardingRules {
  readonly options: ProxyOptions;
  readonly pool: UpstreamPool;
  newFlow(kind: Flow['kind'], client: ClientConnection, method: string, target: string, headers: HeaderList): Flow;
  endFlow(flow: Flow, t0: number): void;
  /** A lookup for net.connect that refuses names resolving to the proxy itself (code ELOOPDETECTED). */
  selfLookup(port: number, target: string): LookupFunction | undefined;
}

export class ForwardedExchange implements ExchangeIo {
  private upstream?: Upstream;
  private timer?: ReturnType<typeof setTimeout>;
  private timerEvents?: TimerEvents;
  /** Set while the client does not take what was written: the upstream is paused until it drains. */
  private drainHandler?: () => void;
  /** Set while the upstream does not take the request body: the client is paused until it drains. */
  private waitingDrain = false;
  private finished = false;

  constructor(
    private readonly core: ProxyCore,
    private readonly client: ClientConnection,
  ) {}

  now(): number {
    return monoMs();
  }

  newFlow(method: string, target: string, headers: HeaderList): Flow {
    return this.core.newFlow('http', this.client, method, target, headers);
  }

  endFlow(flow: Flow, t0: number): void {
    this.core.endFlow(flow, t0);
  }

  openUpstream(to: UpstreamTarget, head: string, fresh: boolean, events: UpstreamEvents): void {
    if (this.upstream) this.upstream.owner = undefined;
    const pool = this.core.pool;
    // A new connection is direct; a name resolving to the proxy itself fails it (ELOOPDETECTED).
    const u = (fresh ? undefined : pool.take(to.key)) ?? pool.connect(to.host, to.port, to.key, this.core.selfLookup(to.port, to.loopName));
    this.upstream = u;
    u.owner = events;
    u.socket.write(head);
  }

  sendUpstream(data: Buffer): void {
    const up = this.upstream!.socket;
    if (!up.write(data) && !this.waitingDrain) {
      this.waitingDrain = true;
      const client = this.client.socket;
      client.pause();
      up.once('drain', () => {
        this.waitingDrain = false;
        if (!this.finished) client.resume();
      });
    }
  }

  sendClient(data: Buffer): void {
    const c = this.client.socket;
    if (!c.write(data) && this.upstream && !this.drainHandler) {
      const up = this.upstream.socket;
      up.pause();
      this.drainHandler = () => {
        this.drainHandler = undefined;
        up.resume();
      };
      c.once('drain', this.drainHandler);
    }
  }

  answerClient(text: string): void {
    this.client.socket.end(text);
  }

  cutClient(): void {
    this.client.socket.destroy();
  }

  startTimer(events: TimerEvents): void {
    this.timerEvents = events;
    this.timer = setTimeout(timerFired, this.core.options.upstreamTimeoutMs, this);
  }

  /** The deadline passed (module-level callback: no closure per exchange). */
  fired(): void {
    this.timerEvents?.timedOut(this.drainHandler !== undefined, this.waitingDrain);
  }

  refreshTimer(): void {
    this.timer?.refresh();
  }

  finish(): void {
    this.finished = true;
    if (this.timer) clearTimeout(this.timer);
    if (this.drainHandler) {
      // Never leave a pooled connection paused, nor a stale listener that would resume it for its next owner.
      this.client.socket.off('drain', this.drainHandler);
      this.drainHandler = undefined;
      this.upstream?.socket.resume();
    }
    if (this.upstream) this.upstream.owner = undefined;
  }

  releaseUpstream(): void {
    if (this.upstream) this.core.pool.give(this.upstream);
  }

  closeUpstream(): void {
    this.upstream?.socket.destroy();
  }
}

function timerFired(exchange: ForwardedExchange): void {
  exchange.fired();
}
