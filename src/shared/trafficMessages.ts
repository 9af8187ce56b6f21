/**
 * Typed messages between the extension host and the traffic webview (proxy flows and multicast
 * datagrams, live). Imported by both sides: no `vscode`, no DOM, no Node at runtime.
 *
 * Rows are summaries (no headers, no bodies); the detail of one row travels only when the webview asks
 * for it. Bytes travel as base64 and are rendered as text nodes, never as HTML. The host checks
 * everything the webview posts.
 */
import type { HeaderList } from '../core/exchange';

export type { HeaderList };

/** One proxy flow as the list shows it. `id` is the view's own number (unique across proxy restarts). */
export interface FlowRow {
  id: number;
  kind: 'http' | 'tunnel';
  /** Epoch ms. */
  startedAt: number;
  /** Which proxy saw it ("127.0.0.1:8888"). */
  proxy: string;
  client: string;
  method: string;
  /** Absolute URL (http) or host:port (tunnel). */
  target: string;
  status?: number;
  bytesUp: number;
  bytesDown: number;
  durationMs?: number;
  error?: string;
  done: boolean;
}

/** Everything the detail pane shows about one flow. Bodies: the first 64 KB the proxy kept, as base64. */
export interface FlowDetail {
  row: FlowRow;
  requestHeaders: HeaderList;
  responseHeaders?: HeaderList;
  requestBody?: string;
  responseBody?: string;
  /** Upstream timings (ms since the flow started). */
  timings: { upstreamConnected?: number; firstByte?: number };
  /** Its bodies were let go of to keep memory bounded (the view keeps those of the recent flows). */
  bodiesDropped?: boolean;
}

/** One datagram as the list shows it: `preview` holds its first bytes (base64). */
export interface DatagramRow {
  id: number;
  /** Epoch ms. */
  at: number;
  /** Which listener got it ("239.255.0.1:5000 on 127.0.0.1"). */
  listener: string;
  from: string;
  size: number;
  preview: string;
}

export interface DatagramDetail {
  row: DatagramRow;
  /** All of its bytes (a datagram is at most 64 KB), base64. */
  data: string;
}

/** A running background service, for the view's header line. */
export interface ServiceSummary {
  kind: 'proxy' | 'multicastListener';
  label: string;
  /** Listeners: datagrams the kernel dropped (receive buffer full), as last read; null when the system does not say. */
  kernelDrops?: number | null;
}

export interface DroppedCounts {
  /** Rows the view let go of to stay under the cap (the traffic itself was never held up). */
  flows: number;
  datagrams: number;
}

/** The whole state: after `ready`, Clear, Resume, and when the cap changes. */
export interface TrafficSnapshot {
  type: 'snapshot';
  flows: FlowRow[];
  datagrams: DatagramRow[];
  dropped: DroppedCounts;
  /** The most rows each list keeps (setting netreq.traffic.maxFlows). */
  max: number;
  services: ServiceSummary[];
  paused: boolean;
}

/** What changed since the last message (new or updated rows), sent at most every 100 ms. */
export interface TrafficBatch {
  type: 'batch';
  flows: FlowRow[];
  datagrams: DatagramRow[];
  dropped: DroppedCounts;
}

export type HostToTraffic =
  | TrafficSnapshot
  | TrafficBatch
  | { type: 'services'; services: ServiceSummary[] }
  | { type: 'flowDetail'; id: number; detail?: FlowDetail }
  | { type: 'datagramDetail'; id: number; detail?: DatagramDetail }
  | { type: 'reply'; id: number; ok: boolean; message?: string };

/** Row actions; each gets a `reply` with the same request id. */
export type TrafficAction = 'openFlow' | 'copyCurl' | 'openDatagram';
/** Commands the view's buttons may run (a fixed list; the host maps them to NetReq commands). */
export type TrafficCommand = 'startProxy' | 'stopProxy' | 'startMulticastListener' | 'stopMulticastListener';

export type TrafficToHost =
  | { type: 'ready' }
  | { type: 'pause'; paused: boolean }
  | { type: 'clear'; what: 'flows' | 'datagrams' }
  | { type: 'select'; what: 'flow' | 'datagram'; id: number }
  | { type: 'action'; id: number; action: TrafficAction; target: number }
  | { type: 'command'; command: TrafficCommand };

const ACTIONS: ReadonlySet<string> = new Set<TrafficAction>(['openFlow', 'copyCurl', 'openDatagram']);
const COMMANDS: ReadonlySet<string> = new Set<TrafficCommand>(['startProxy', 'stopProxy', 'startMulticastListener', 'stopMulticastListener']);

function record(m: unknown): Record<string, unknown> | undefined {
  return typeof m === 'object' && m !== null && !Array.isArray(m) ? (m as Record<string, unknown>) : undefined;
}

function isId(v: unknown): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v);
}

/** Host-side check of what the traffic webview posted (a webview is less trusted than the host). */
export function isTrafficToHost(m: unknown): m is TrafficToHost {
  const o = record(m);
  if (!o) return false;
  switch (o.type) {
    case 'ready':
      return true;
    case 'pause':
      return typeof o.paused === 'boolean';
    case 'clear':
      return o.what === 'flows' || o.what === 'datagrams';
    case 'select':
      return (o.what === 'flow' || o.what === 'datagram') && isId(o.id);
    case 'action':
      return isId(o.id) && typeof o.action === 'string' && ACTIONS.has(o.action) && isId(o.target);
    case 'command':
      return typeof o.command === 'string' && COMMANDS.has(o.command);
    default:
      return false;
  }
}

/** Webview-side check of what the host posted. */
export function isHostToTraffic(m: unknown): m is HostToTraffic {
  const o = record(m);
  if (!o) return false;
  switch (o.type) {
    case 'snapshot':
    case 'batch':
      return Array.isArray(o.flows) && Array.isArray(o.datagrams) && record(o.dropped) !== undefined;
    case 'services':
      return Array.isArray(o.services);
    case 'flowDetail':
    case 'datagramDetail':
    case 'reply':
      return isId(o.id);
    default:
      return false;
  }
}
