/**
 * Typed messages between the extension host and the traffic webview (proxy flows and multicast
 * datagrams, live). Imported by both sides: no `vscode`, no DOM, no Node at runtime.
 *
 * Rows are summaries (no headers, no bodies); the detail of one row travels only when the webview asks
 * for it. Bytes travel as base64 and are rendered as text nodes, never as HTML. The host checks
 * everything the webview posts.
 */
import type { HeaderList } from '../core/exchange';
import { isCount, isHeaders, isNum, isOptional, isStr, record } from './shapes';

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

/** A body sent with a Content-Encoding (gzip, deflate, br), decoded by the host for the detail pane. */
export interface DecodedBody {
  /** The Content-Encoding it came with, as the headers say it ("gzip"). */
  encoding: string;
  /** The decoded bytes, base64 (at most 1 MB); absent when nothing could be decoded (`error` says why). */
  body?: string;
  /** Decoding stopped at the limit: `body` is the start of the decoded data. */
  cut?: boolean;
  /** The proxy kept only the start of the body, so `body` is what that start decodes to. */
  partial?: boolean;
  error?: string;
}

/**
 * Everything the detail pane shows about one flow. Headers as they came on the wire (the client's request,
 * the upstream's response, Content-Length and Transfer-Encoding included). Bodies: the first 64 KB the
 * proxy kept, as base64, as they came (still compressed when they were); `*Decoded` when a body had a
 * Content-Encoding.
 */
export interface FlowDetail {
  row: FlowRow;
  requestHeaders: HeaderList;
  responseHeaders?: HeaderList;
  requestBody?: string;
  responseBody?: string;
  requestDecoded?: DecodedBody;
  responseDecoded?: DecodedBody;
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

function isFlowRow(v: unknown): v is FlowRow {
  const o = record(v);
  return (
    !!o &&
    isId(o.id) &&
    (o.kind === 'http' || o.kind === 'tunnel') &&
    isNum(o.startedAt) &&
    isStr(o.proxy) &&
    isStr(o.client) &&
    isStr(o.method) &&
    isStr(o.target) &&
    isOptional(o.status, isNum) &&
    isCount(o.bytesUp) &&
    isCount(o.bytesDown) &&
    isOptional(o.durationMs, isNum) &&
    isOptional(o.error, isStr) &&
    typeof o.done === 'boolean'
  );
}

function isDatagramRow(v: unknown): v is DatagramRow {
  const o = record(v);
  return !!o && isId(o.id) && isNum(o.at) && isStr(o.listener) && isStr(o.from) && isCount(o.size) && isStr(o.preview);
}

function isService(v: unknown): v is ServiceSummary {
  const o = record(v);
  return !!o && (o.kind === 'proxy' || o.kind === 'multicastListener') && isStr(o.label) && (o.kernelDrops === undefined || o.kernelDrops === null || isCount(o.kernelDrops));
}

function isRows(o: Record<string, unknown>): boolean {
  const d = record(o.dropped);
  return Array.isArray(o.flows) && o.flows.every(isFlowRow) && Array.isArray(o.datagrams) && o.datagrams.every(isDatagramRow) && !!d && isCount(d.flows) && isCount(d.datagrams);
}

function isDecoded(v: unknown): boolean {
  const o = record(v);
  const flag = (x: unknown) => x === undefined || typeof x === 'boolean';
  return !!o && isStr(o.encoding) && isOptional(o.body, isStr) && flag(o.cut) && flag(o.partial) && isOptional(o.error, isStr);
}

function isFlowDetail(v: unknown): boolean {
  const o = record(v);
  const t = record(o?.timings);
  return (
    !!o &&
    isFlowRow(o.row) &&
    isHeaders(o.requestHeaders) &&
    (o.responseHeaders === undefined || isHeaders(o.responseHeaders)) &&
    isOptional(o.requestBody, isStr) &&
    isOptional(o.responseBody, isStr) &&
    (o.requestDecoded === undefined || isDecoded(o.requestDecoded)) &&
    (o.responseDecoded === undefined || isDecoded(o.responseDecoded)) &&
    !!t &&
    isOptional(t.upstreamConnected, isNum) &&
    isOptional(t.firstByte, isNum) &&
    (o.bodiesDropped === undefined || typeof o.bodiesDropped === 'boolean')
  );
}

function isDatagramDetail(v: unknown): boolean {
  const o = record(v);
  return !!o && isDatagramRow(o.row) && isStr(o.data);
}

/** Webview-side check of what the host posted: the fields the view reads, as their types (a malformed message is dropped). */
export function isHostToTraffic(m: unknown): m is HostToTraffic {
  const o = record(m);
  if (!o) return false;
  switch (o.type) {
    case 'snapshot':
      return isRows(o) && isCount(o.max) && Array.isArray(o.services) && o.services.every(isService) && typeof o.paused === 'boolean';
    case 'batch':
      return isRows(o);
    case 'services':
      return Array.isArray(o.services) && o.services.every(isService);
    case 'flowDetail':
      return isId(o.id) && (o.detail === undefined || isFlowDetail(o.detail));
    case 'datagramDetail':
      return isId(o.id) && (o.detail === undefined || isDatagramDetail(o.detail));
    case 'reply':
      return isId(o.id) && typeof o.ok === 'boolean' && isOptional(o.message, isStr);
    default:
      return false;
  }
}
