/**
 * What the traffic view keeps: the last N proxy flows and the last N multicast datagrams, and which
 * rows changed since the view was last told. Plain TypeScript (no `vscode`), so the unit tests drive it.
 *
 * It never holds up the traffic: recording a flow or a datagram is a Map insert (O(1)); past the cap the
 * oldest rows are let go of and counted. The proxy and the listener keep running whatever happens here.
 */
import type { Datagram } from '../../core/listener/multicast';
import type { Flow } from '../../core/proxy/server';
import type { DatagramDetail, DatagramRow, DroppedCounts, FlowDetail, FlowRow } from '../../shared/trafficMessages';

export const DEFAULT_MAX_ROWS = 1000;
/** Bytes of each datagram a list row carries (the detail carries all of it). */
export const DATAGRAM_PREVIEW_BYTES = 256;
/** Body bytes (the proxy's 64 KB previews) kept in all; past it the oldest flows' bodies are let go of. */
export const DEFAULT_BODY_BUDGET = 32 * 1024 * 1024;

export interface StoredFlow {
  id: number;
  proxy: string;
  flow: Flow;
  /** Its body previews were let go of to keep memory bounded (the row stays). */
  bodiesDropped?: boolean;
}

export interface StoredDatagram {
  id: number;
  listener: string;
  datagram: Datagram;
  /** The listener's group, port and interface (for "Open as .netreq"). */
  source?: { group: string; port: number; interface?: string };
}

export interface TrafficChanges {
  flows: FlowRow[];
  datagrams: DatagramRow[];
  dropped: DroppedCounts;
}

export function flowRow(s: StoredFlow): FlowRow {
  const f = s.flow;
  const row: FlowRow = {
    id: s.id,
    kind: f.kind,
    startedAt: f.startedAt,
    proxy: s.proxy,
    client: f.client,
    method: f.method,
    target: f.target,
    bytesUp: f.bytesUp,
    bytesDown: f.bytesDown,
    done: f.done,
  };
  if (f.status !== undefined) row.status = f.status;
  if (f.durationMs !== undefined) row.durationMs = f.durationMs;
  if (f.error !== undefined) row.error = f.error;
  return row;
}

export function flowDetail(s: StoredFlow): FlowDetail {
  const f = s.flow;
  const d: FlowDetail = { row: flowRow(s), requestHeaders: f.requestHeaders.map(([k, v]) => [k, v]), timings: { ...f.timings } };
  if (f.responseHeaders) d.responseHeaders = f.responseHeaders.map(([k, v]) => [k, v]);
  if (f.requestBody) d.requestBody = f.requestBody.toString('base64');
  if (f.responseBody) d.responseBody = f.responseBody.toString('base64');
  if (s.bodiesDropped) d.bodiesDropped = true;
  return d;
}

export function datagramRow(s: StoredDatagram): DatagramRow {
  const d = s.datagram;
  return { id: s.id, at: d.at, listener: s.listener, from: d.from, size: d.size, preview: d.data.subarray(0, DATAGRAM_PREVIEW_BYTES).toString('base64') };
}

export function datagramDetail(s: StoredDatagram): DatagramDetail {
  return { row: datagramRow(s), data: s.datagram.data.toString('base64') };
}

function bodySize(f: Flow): number {
  return (f.requestBody?.length ?? 0) + (f.responseBody?.length ?? 0);
}

function clampMax(n: number): number {
  return Number.isFinite(n) && n >= 1 ? Math.floor(n) : DEFAULT_MAX_ROWS;
}

export class TrafficStore {
  private readonly flowMap = new Map<number, StoredFlow>();
  private readonly flowIds = new WeakMap<Flow, number>();
  private readonly datagramMap = new Map<number, StoredDatagram>();
  private readonly dirtyFlows = new Set<number>();
  private readonly activeFlows = new Set<number>();
  private readonly newDatagrams = new Set<number>();
  private nextFlow = 1;
  private nextDatagram = 1;
  private maxRows: number;
  readonly dropped: DroppedCounts = { flows: 0, datagrams: 0 };
  /** Everything recorded since the last Clear (kept or not). */
  readonly totals = { flows: 0, datagrams: 0 };

  private bodyBytes = 0;
  /** Flows holding body previews, oldest first (ids; some may be gone already). */
  private readonly withBodies: number[] = [];

  constructor(
    max = DEFAULT_MAX_ROWS,
    private readonly bodyBudget = DEFAULT_BODY_BUDGET,
  ) {
    this.maxRows = clampMax(max);
  }

  /** Body preview bytes held now (for tests). */
  get heldBodyBytes(): number {
    return this.bodyBytes;
  }

  get max(): number {
    return this.maxRows;
  }

  /** Changes the cap; returns true when it changed (the view then needs a snapshot). */
  setMax(n: number): boolean {
    const m = clampMax(n);
    if (m === this.maxRows) return false;
    this.maxRows = m;
    this.trimFlows();
    this.trimDatagrams();
    return true;
  }

  /** A flow began (proxy `flow-start`). */
  flowStarted(flow: Flow, proxy: string): number {
    const existing = this.flowIds.get(flow);
    if (existing !== undefined) return existing;
    const id = this.nextFlow++;
    this.flowIds.set(flow, id);
    this.flowMap.set(id, { id, proxy, flow });
    this.totals.flows++;
    this.dirtyFlows.add(id);
    if (!flow.done) this.activeFlows.add(id);
    this.trimFlows();
    return id;
  }

  /** A flow ended (proxy `flow-end`): its row changes. A flow the view already let go of stays gone. */
  flowEnded(flow: Flow, proxy: string): void {
    const id = this.flowIds.get(flow) ?? this.flowStarted(flow, proxy);
    const s = this.flowMap.get(id);
    if (!s) return;
    this.activeFlows.delete(id);
    this.dirtyFlows.add(id);
    const size = bodySize(s.flow);
    if (size > 0) {
      this.bodyBytes += size;
      this.withBodies.push(id);
      if (this.withBodies.length > 2 * this.maxRows + 16) this.withBodies.splice(0, this.withBodies.length, ...this.withBodies.filter((i) => this.flowMap.has(i)));
      this.keepBodiesInBudget();
    }
  }

  datagram(d: Datagram, listener: string, source?: StoredDatagram['source']): number {
    const id = this.nextDatagram++;
    this.datagramMap.set(id, { id, listener, datagram: d, source });
    this.totals.datagrams++;
    this.newDatagrams.add(id);
    this.trimDatagrams();
    return id;
  }

  get pending(): boolean {
    return this.dirtyFlows.size > 0 || this.newDatagrams.size > 0;
  }

  /** Flows still open (tunnels, slow downloads): their byte counts move without events. */
  get activeCount(): number {
    return this.activeFlows.size;
  }

  /**
   * New and changed rows since the last call, oldest first, and forgets them. `refreshActive` adds the
   * flows still in progress (so their byte counts move in the view).
   */
  takeChanges(refreshActive = false): TrafficChanges {
    if (refreshActive) for (const id of this.activeFlows) this.dirtyFlows.add(id);
    const flows: FlowRow[] = [];
    for (const id of [...this.dirtyFlows].sort((a, b) => a - b)) {
      const s = this.flowMap.get(id);
      if (s) flows.push(flowRow(s));
    }
    const datagrams: DatagramRow[] = [];
    for (const id of this.newDatagrams) {
      const s = this.datagramMap.get(id);
      if (s) datagrams.push(datagramRow(s));
    }
    this.dirtyFlows.clear();
    this.newDatagrams.clear();
    return { flows, datagrams, dropped: { ...this.dropped } };
  }

  /** Every kept row (and forgets what was pending: a snapshot covers it). */
  snapshot(): TrafficChanges {
    this.dirtyFlows.clear();
    this.newDatagrams.clear();
    return { flows: [...this.flowMap.values()].map(flowRow), datagrams: [...this.datagramMap.values()].map(datagramRow), dropped: { ...this.dropped } };
  }

  flow(id: number): StoredFlow | undefined {
    return this.flowMap.get(id);
  }

  datagramById(id: number): StoredDatagram | undefined {
    return this.datagramMap.get(id);
  }

  flowRows(): FlowRow[] {
    return [...this.flowMap.values()].map(flowRow);
  }

  datagramRows(): DatagramRow[] {
    return [...this.datagramMap.values()].map(datagramRow);
  }

  clear(what: 'flows' | 'datagrams'): void {
    if (what === 'flows') {
      this.flowMap.clear();
      this.withBodies.length = 0;
      this.bodyBytes = 0;
      this.dirtyFlows.clear();
      this.activeFlows.clear();
      this.dropped.flows = 0;
      this.totals.flows = 0;
    } else {
      this.datagramMap.clear();
      this.newDatagrams.clear();
      this.dropped.datagrams = 0;
      this.totals.datagrams = 0;
    }
  }

  /** Lets go of the oldest flows' body previews until the rest fit the budget (their rows stay). */
  private keepBodiesInBudget(): void {
    while (this.bodyBytes > this.bodyBudget && this.withBodies.length > 1) {
      const s = this.flowMap.get(this.withBodies.shift()!);
      if (!s || s.bodiesDropped) continue;
      this.bodyBytes -= bodySize(s.flow);
      s.flow.requestBody = undefined;
      s.flow.responseBody = undefined;
      s.bodiesDropped = true;
    }
  }

  private trimFlows(): void {
    while (this.flowMap.size > this.maxRows) {
      const oldest = this.flowMap.keys().next().value as number;
      const gone = this.flowMap.get(oldest)!;
      if (!gone.bodiesDropped && gone.flow.done) this.bodyBytes -= bodySize(gone.flow);
      this.flowMap.delete(oldest);
      this.dirtyFlows.delete(oldest);
      this.activeFlows.delete(oldest);
      this.dropped.flows++;
    }
  }

  private trimDatagrams(): void {
    while (this.datagramMap.size > this.maxRows) {
      const oldest = this.datagramMap.keys().next().value as number;
      this.datagramMap.delete(oldest);
      this.newDatagrams.delete(oldest);
      this.dropped.datagrams++;
    }
  }
}
