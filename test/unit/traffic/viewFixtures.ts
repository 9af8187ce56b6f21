/** The traffic view on a fake DOM, and rows and snapshots to feed it (the view tests share them). */
import { strict as assert } from 'node:assert';
import type { DatagramRow, FlowRow, TrafficSnapshot, TrafficToHost } from '../../../src/shared/trafficMessages';
import { TrafficView } from '../../../src/webview/trafficView';
import { FakeDocument, type FakeElement } from '../webview/fakeDom';

export const T = Date.UTC(2025, 0, 2, 3, 4, 5, 678);

export function row(id: number, over: Partial<FlowRow> = {}): FlowRow {
  return { id, kind: 'http', startedAt: T, proxy: '127.0.0.1:8888', client: '127.0.0.1:50000', method: 'GET', target: `http://127.0.0.1:8080/${id}`, status: 200, bytesUp: 0, bytesDown: 1536, durationMs: 12.5, done: true, ...over };
}

export function dgram(id: number, data: Buffer, over: Partial<DatagramRow> = {}): DatagramRow {
  return { id, at: T, listener: '239.255.0.1:5000 on 127.0.0.1', from: '127.0.0.1:40000', size: data.length, preview: data.toString('base64'), ...over };
}

export function snapshot(over: Partial<TrafficSnapshot> = {}): TrafficSnapshot {
  return { type: 'snapshot', flows: [], datagrams: [], dropped: { flows: 0, datagrams: 0 }, max: 1000, services: [], paused: false, ...over };
}

export function setup() {
  const doc = new FakeDocument();
  const root = doc.createElement('div');
  const posted: TrafficToHost[] = [];
  let added = 0;
  const view = new TrafficView(doc, root, (m) => posted.push(m), undefined, undefined, () => added++);
  view.render();
  const rows = () => root.byClass('row').filter((r) => !r.classes.includes('head'));
  const visibleRows = () => rows().filter((r) => !r.classes.includes('hidden'));
  return { doc, root, posted, view, rows, visibleRows, added: () => added };
}

export const button = (root: FakeElement, label: string) => {
  const b = root.button(label);
  assert.ok(b, `button ${label}`);
  return b;
};

