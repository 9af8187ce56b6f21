/** Flows, datagrams and a manual clock for the traffic tests. */
import type { Datagram } from '../../../src/core/listener/multicast';
import type { Flow } from '../../../src/core/proxy/server';
import type { Timers } from '../../../src/extension/traffic/trafficFeed';

let flowIds = 1;
export function fakeFlow(over: Partial<Flow> = {}): Flow {
  return {
    id: flowIds++,
    kind: 'http',
    startedAt: Date.UTC(2025, 0, 1),
    client: '127.0.0.1:50000',
    method: 'GET',
    target: 'http://127.0.0.1:8080/',
    bytesUp: 0,
    bytesDown: 0,
    requestHeaders: [['Host', '127.0.0.1:8080']],
    timings: {},
    done: false,
    ...over,
  };
}

export function fakeDatagram(data = Buffer.from('hello')): Datagram {
  return { at: Date.UTC(2025, 0, 1), from: '127.0.0.1:40000', size: data.length, data };
}

/** A manual clock: timers run when `advance` passes their time. */
export class FakeTimers implements Timers {
  now = 0;
  private seq = 0;
  private readonly due = new Map<number, { at: number; fn: () => void }>();
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.seq;
    this.due.set(id, { at: this.now + ms, fn });
    return id;
  }
  clearTimeout(h: unknown): void {
    this.due.delete(h as number);
  }
  get pending(): number {
    return this.due.size;
  }
  advance(ms: number): void {
    const end = this.now + ms;
    for (;;) {
      const next = [...this.due.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!next) break;
      this.due.delete(next[0]);
      this.now = next[1].at;
      next[1].fn();
    }
    this.now = end;
  }
}
