/**
 * The traffic view's parts that draw from what they are given: the tab bar, the services line with its
 * Start/Stop buttons, and the cells of a flow or datagram row. Text nodes only; the view owns the state.
 */
import type { DatagramRow, FlowRow, ServiceSummary, TrafficCommand } from '../shared/trafficMessages';
import type { Builder, DomElement, DomField } from './dom';
import { datagramCells, flowCells, serviceText } from './trafficRows';

export type TrafficTab = 'proxy' | 'multicast';

/** The Proxy / Multicast tabs; their labels (with the row counts) are filled in by the view. */
export function tabBar(b: Builder, current: TrafficTab, pick: (tab: TrafficTab) => void): { el: DomElement; labels: Record<TrafficTab, DomElement> } {
  const bar = b.el('div', 'tabs');
  bar.setAttribute('role', 'tablist');
  const labels = {} as Record<TrafficTab, DomElement>;
  for (const id of ['proxy', 'multicast'] as const) {
    const btn = b.button('', () => pick(id), id === current ? 'tab active' : 'tab');
    btn.setAttribute('role', 'tab');
    btn.setAttribute('aria-selected', String(id === current));
    labels[id] = btn;
    bar.appendChild(btn);
  }
  return { el: bar, labels };
}

/** What runs for this tab (the proxy, or the multicast listeners) and the buttons to start or stop it. */
export function serviceLine(b: Builder, tab: TrafficTab, services: readonly ServiceSummary[], run: (c: TrafficCommand) => void): DomElement {
  const line = b.el('div', 'services-line');
  const proxy = tab === 'proxy';
  const mine = services.filter((s) => (s.kind === 'proxy') === proxy);
  line.appendChild(b.el('span', mine.length ? 'service-running' : 'muted', mine.length ? `Running: ${mine.map(serviceText).join(' · ')}` : proxy ? 'No proxy is running.' : 'No multicast listener is running.'));
  line.appendChild(b.el('span', 'spacer'));
  if (proxy) {
    if (mine.length === 0) line.appendChild(b.button('Start proxy', () => run('startProxy'), 'btn btn-primary'));
    else line.appendChild(b.button('Stop proxy', () => run('stopProxy')));
  } else {
    line.appendChild(b.button('Start listener…', () => run('startMulticastListener'), mine.length ? 'btn' : 'btn btn-primary'));
    if (mine.length) line.appendChild(b.button('Stop listener…', () => run('stopMulticastListener')));
  }
  return line;
}

/** The filter box, Pause / Resume and Clear, and the place for the row counts (the view keeps it up to date). */
export function toolbar(b: Builder, tab: TrafficTab, filterText: string, paused: boolean, on: { filter(text: string): void; pause(): void; clear(): void }): { el: DomElement; counts: DomElement } {
  const bar = b.el('div', 'toolbar');
  const filter: DomField = b.field('input', 'filter', tab === 'proxy' ? 'Filter: method, URL, client, status…' : 'Filter: sender, listener, text…', filterText);
  filter.setAttribute('aria-label', 'Filter rows');
  filter.addEventListener('input', () => on.filter(filter.value));
  const pause = b.button(paused ? 'Resume' : 'Pause', () => on.pause(), 'btn', paused ? 'Show the traffic recorded meanwhile, and keep it live' : 'Freeze the list (recording goes on)');
  pause.setAttribute('aria-pressed', String(paused));
  const clear = b.button('Clear', () => on.clear(), 'btn', 'Forget the rows of this tab');
  const counts = b.el('span', 'muted counts', '');
  b.add(bar, filter, pause, clear, b.el('span', 'spacer'), counts);
  return { el: bar, counts };
}

/**
 * The proxy list's columns, in order: what tells flows apart first (method, status, URL), so a narrow
 * panel (an editor split) shows them; the rest scrolls or, in a narrow panel, is left out (traffic.css).
 */
export const FLOW_COLUMNS: ReadonlyArray<readonly [string, string]> = [
  ['Time (UTC)', 'col-time'],
  ['Method', 'col-method'],
  ['Status', 'col-status'],
  ['URL / CONNECT target', 'col-target'],
  ['Duration', 'col-duration'],
  ['↑ Up', 'col-up'],
  ['↓ Down', 'col-down'],
  ['Client', 'col-client'],
  ['Kind', 'col-kind'],
];

export function fillFlowRow(b: Builder, el: DomElement, r: FlowRow): void {
  const c = flowCells(r);
  b.add(
    el,
    b.el('span', 'cell time col-time', c.time),
    b.el('span', 'cell method col-method', c.method),
    b.el('span', `cell http-status col-status ${c.statusClass}`, c.status),
    b.el('span', 'cell target col-target', c.target),
    b.el('span', 'cell duration col-duration', c.duration),
    b.el('span', 'cell bytes col-up', c.up),
    b.el('span', 'cell bytes col-down', c.down),
    b.el('span', 'cell client col-client', c.client),
    b.el('span', `cell kind col-kind kind-${c.kind}`, c.kind),
  );
  if (r.error) el.setAttribute('title', 'This flow failed: select it for the reason');
}

export function fillDatagramRow(b: Builder, el: DomElement, r: DatagramRow): void {
  const c = datagramCells(r);
  b.add(el, b.el('span', 'cell time', c.time), b.el('span', 'cell listener', c.listener), b.el('span', 'cell client', c.from), b.el('span', 'cell bytes', c.size), b.el('span', 'cell text', c.text), b.el('span', 'cell hex', c.hex));
}
