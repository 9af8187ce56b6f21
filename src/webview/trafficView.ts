/**
 * The traffic view: proxy flows and multicast datagrams, live. Two tabs, each with a filter box, Pause,
 * Clear and the services' Start/Stop buttons; a list that grows row by row as batches arrive (rows over
 * the cap leave from the top); a detail pane for the selected row. Text nodes only; no globals (the DOM
 * and the way to post come in, so unit tests use a fake document).
 */
import type { DatagramDetail, DatagramRow, FlowDetail, FlowRow, HostToTraffic, ServiceSummary, TrafficAction, TrafficToHost } from '../shared/trafficMessages';
import { Builder, type DomDocument, type DomElement } from './dom';
import { renderDatagramDetail, renderFlowDetail, type BodyForm, type BodyMode } from './trafficDetail';
import { fillDatagramRow, fillFlowRow, FLOW_COLUMNS, serviceLine, tabBar, toolbar } from './trafficParts';
import { datagramHaystack, flowHaystack, matchesFilter } from './trafficRows';

import type { TrafficTab } from './trafficParts';

export type { TrafficTab };

export interface TrafficUi {
  tab: TrafficTab;
  filters: Record<TrafficTab, string>;
  bodyMode: BodyMode;
  /** Bodies that came with a Content-Encoding: decoded, or the bytes as sent. */
  bodyForm: BodyForm;
}

export const DEFAULT_TRAFFIC_UI: TrafficUi = { tab: 'proxy', filters: { proxy: '', multicast: '' }, bodyMode: 'auto', bodyForm: 'decoded' };

type Selected = { what: 'flow' | 'datagram'; id: number };

export class TrafficView {
  private readonly b: Builder;
  private readonly flows = new Map<number, FlowRow>();
  private readonly datagrams = new Map<number, DatagramRow>();
  private dropped = { flows: 0, datagrams: 0 };
  private max = 1000;
  private services: ServiceSummary[] = [];
  private paused = false;
  private loaded = false;
  private selected?: Selected;
  private detail?: FlowDetail | DatagramDetail;
  private detailGone = false;
  private reply?: { ok: boolean; text: string };
  private nextId = 1;
  private readonly pending = new Set<number>();
  // The parts a batch updates in place.
  private list?: DomElement;
  private readonly rowEls = new Map<number, DomElement>();
  private counts?: DomElement;
  private tabLabels?: Record<TrafficTab, DomElement>;
  private detailEl?: DomElement;
  private emptyEl?: DomElement;

  constructor(
    doc: DomDocument,
    private readonly root: DomElement,
    private readonly post: (m: TrafficToHost) => void,
    public ui: TrafficUi = { ...DEFAULT_TRAFFIC_UI, filters: { ...DEFAULT_TRAFFIC_UI.filters } },
    private readonly onUiChange: (ui: TrafficUi) => void = () => undefined,
    /** Called after rows were appended to the list (the entry keeps it scrolled to the newest). */
    private readonly onRowsAdded: (list: DomElement) => void = () => undefined,
  ) {
    this.b = new Builder(doc);
  }

  handle(msg: HostToTraffic): void {
    switch (msg.type) {
      case 'snapshot':
        this.loaded = true;
        this.flows.clear();
        this.datagrams.clear();
        for (const r of msg.flows) this.flows.set(r.id, r);
        for (const r of msg.datagrams) this.datagrams.set(r.id, r);
        this.dropped = { ...msg.dropped };
        this.max = msg.max > 0 ? msg.max : this.max;
        this.services = msg.services;
        this.paused = msg.paused;
        this.trim();
        // After Clear (or a cap change) the selected row may be gone: the detail goes with it.
        if (this.selected && !(this.selected.what === 'flow' ? this.flows : this.datagrams).has(this.selected.id)) this.unselect();
        return this.render();
      case 'batch':
        return this.applyBatch(msg.flows, msg.datagrams, msg.dropped);
      case 'services':
        this.services = msg.services;
        return this.render();
      case 'flowDetail':
      case 'datagramDetail':
        if (!this.selected || this.selected.id !== msg.id || (msg.type === 'flowDetail') !== (this.selected.what === 'flow')) return;
        this.detail = msg.detail;
        this.detailGone = !msg.detail;
        return this.renderDetail();
      case 'reply':
        if (!this.pending.delete(msg.id)) return;
        this.reply = { ok: msg.ok, text: msg.message ?? (msg.ok ? 'Done.' : 'Failed.') };
        return this.renderDetail();
    }
  }

  /** Rows shown in the current tab's list (after the filter), for tests. */
  get shownRows(): number {
    let n = 0;
    if (this.ui.tab === 'proxy') for (const r of this.flows.values()) n += matchesFilter(flowHaystack(r), this.ui.filters.proxy) ? 1 : 0;
    else for (const r of this.datagrams.values()) n += matchesFilter(datagramHaystack(r), this.ui.filters.multicast) ? 1 : 0;
    return n;
  }

  select(what: 'flow' | 'datagram', id: number): void {
    const before = this.selected;
    this.selected = { what, id };
    this.detail = undefined;
    this.detailGone = false;
    this.reply = undefined;
    this.post({ type: 'select', what, id });
    if (before) this.restyleRow(before.id);
    this.restyleRow(id);
    this.renderDetail();
  }

  /** Whether the row is in the current tab's list and passes its filter (false when it is not kept). */
  private rowVisible(id: number): boolean {
    const proxy = this.ui.tab === 'proxy';
    const r = proxy ? this.flows.get(id) : this.datagrams.get(id);
    if (!r) return false;
    return proxy ? matchesFilter(flowHaystack(r as FlowRow), this.ui.filters.proxy) : matchesFilter(datagramHaystack(r as DatagramRow), this.ui.filters.multicast);
  }

  /** The selected row is kept but the filter hides it: the detail pane says so instead of showing it. */
  private get selectedHidden(): boolean {
    const sel = this.selected;
    if (!sel) return false;
    const kept = sel.what === 'flow' ? this.flows.has(sel.id) : this.datagrams.has(sel.id);
    return kept && !this.rowVisible(sel.id);
  }

  private restyleRow(id: number): void {
    const el = this.rowEls.get(id);
    if (!el || !(this.ui.tab === 'proxy' ? this.flows.has(id) : this.datagrams.has(id))) return;
    el.setAttribute('class', this.rowClass(id, this.rowVisible(id)));
  }

  act(action: TrafficAction): void {
    if (!this.selected) return;
    const id = this.nextId++;
    this.pending.add(id);
    this.post({ type: 'action', id, action, target: this.selected.id });
  }

  private setUi(change: Partial<TrafficUi>, render = true): void {
    this.ui = { ...this.ui, ...change };
    this.onUiChange(this.ui);
    if (render) this.render();
  }

  private applyBatch(flows: FlowRow[], datagrams: DatagramRow[], dropped: { flows: number; datagrams: number }): void {
    if (!this.loaded || this.paused) return;
    const hiddenBefore = this.selectedHidden;
    this.dropped = { ...dropped };
    const tab = this.ui.tab;
    let added = false;
    for (const r of flows) {
      this.flows.set(r.id, r);
      if (tab === 'proxy' && this.list) added = this.placeRow(r.id, (el) => fillFlowRow(this.b, el, r), matchesFilter(flowHaystack(r), this.ui.filters.proxy)) || added;
    }
    for (const r of datagrams) {
      this.datagrams.set(r.id, r);
      if (tab === 'multicast' && this.list) added = this.placeRow(r.id, (el) => fillDatagramRow(this.b, el, r), matchesFilter(datagramHaystack(r), this.ui.filters.multicast)) || added;
    }
    this.trim();
    this.updateCounts();
    if (this.selected?.what === 'flow' && flows.some((r) => r.id === this.selected!.id)) this.post({ type: 'select', what: 'flow', id: this.selected.id });
    if (this.selectedHidden !== hiddenBefore) this.renderDetail();
    if (added && this.list) this.onRowsAdded(this.list);
  }

  /** Updates a row in place or appends it; returns true when it was appended. */
  private placeRow(id: number, fill: (el: DomElement) => void, visible: boolean): boolean {
    let el = this.rowEls.get(id);
    const isNew = !el;
    if (!el) {
      el = this.rowElement(id);
      this.rowEls.set(id, el);
      this.list!.appendChild(el);
      this.emptyEl?.remove();
      this.emptyEl = undefined;
    }
    el.textContent = '';
    fill(el);
    el.setAttribute('class', this.rowClass(id, visible));
    return isNew;
  }

  private rowClass(id: number, visible: boolean): string {
    const sel = this.selected?.id === id && this.selected.what === (this.ui.tab === 'proxy' ? 'flow' : 'datagram');
    return `row${sel ? ' selected' : ''}${visible ? '' : ' hidden'}`;
  }

  private rowElement(id: number): DomElement {
    const what = this.ui.tab === 'proxy' ? 'flow' : 'datagram';
    const el = this.b.el('div', 'row');
    el.setAttribute('role', 'row');
    el.setAttribute('tabindex', '0');
    el.addEventListener('click', () => this.select(what, id));
    el.addEventListener('keydown', (ev) => {
      if (ev.key === 'Enter' || ev.key === ' ') {
        ev.preventDefault();
        this.select(what, id);
      }
    });
    return el;
  }

  /** Keeps at most `max` rows per list, letting the oldest go (the host counts them in `dropped`). */
  private trim(): void {
    for (const [map, what] of [
      [this.flows, 'flow'],
      [this.datagrams, 'datagram'],
    ] as const) {
      while (map.size > this.max) {
        const oldest = map.keys().next().value as number;
        map.delete(oldest);
        if ((what === 'flow') === (this.ui.tab === 'proxy')) {
          this.rowEls.get(oldest)?.remove();
          this.rowEls.delete(oldest);
        }
      }
    }
  }

  private countsText(): string {
    const proxy = this.ui.tab === 'proxy';
    const kept = proxy ? this.flows.size : this.datagrams.size;
    const dropped = proxy ? this.dropped.flows : this.dropped.datagrams;
    const unit = proxy ? 'flow' : 'datagram';
    const shown = this.shownRows;
    let s = `${shown === kept ? kept : `${shown} of ${kept}`} ${unit}${kept === 1 ? '' : 's'}`;
    if (dropped > 0) s += ` · ${dropped} older ${unit}${dropped === 1 ? '' : 's'} let go (the view keeps the last ${this.max}; setting netreq.traffic.maxFlows)`;
    return s;
  }

  private updateCounts(): void {
    if (this.counts) this.counts.textContent = this.countsText();
    if (this.tabLabels) {
      this.tabLabels.proxy.textContent = `Proxy (${this.flows.size})`;
      this.tabLabels.multicast.textContent = `Multicast (${this.datagrams.size})`;
    }
  }

  render(): void {
    const { b } = this;
    this.root.textContent = '';
    this.rowEls.clear();
    this.list = undefined;
    this.detailEl = undefined;
    const app = b.el('div', 'app traffic-app');
    this.root.appendChild(app);
    if (!this.loaded) {
      app.appendChild(b.el('p', 'muted', 'Waiting for the traffic…'));
      return;
    }
    const bar = tabBar(b, this.ui.tab, (id) => this.setTab(id));
    this.tabLabels = bar.labels;
    this.updateCounts();
    app.appendChild(bar.el);
    app.appendChild(serviceLine(b, this.ui.tab, this.services, (command) => this.post({ type: 'command', command })));
    const tab = this.ui.tab;
    const tools = toolbar(b, tab, this.ui.filters[tab], this.paused, {
      filter: (text) => {
        const hiddenBefore = this.selectedHidden;
        this.setUi({ filters: { ...this.ui.filters, [tab]: text } }, false);
        this.applyFilter(hiddenBefore);
      },
      pause: () => this.setPaused(!this.paused),
      clear: () => this.post({ type: 'clear', what: tab === 'proxy' ? 'flows' : 'datagrams' }),
    });
    this.counts = tools.counts;
    this.counts.textContent = this.countsText();
    app.appendChild(tools.el);
    if (this.paused) app.appendChild(b.add(b.el('div', 'notice notice-warning'), b.el('span', undefined, 'Paused: new traffic is still recorded (up to the cap) and shows when you resume. The services keep running.')));
    const split = b.el('div', 'split');
    split.appendChild(this.listPane());
    split.appendChild(this.detailPane());
    app.appendChild(split);
  }

  private setTab(tab: TrafficTab): void {
    if (tab === this.ui.tab) return;
    this.unselect();
    this.setUi({ tab });
  }

  private unselect(): void {
    this.selected = undefined;
    this.detail = undefined;
    this.detailGone = false;
    this.reply = undefined;
  }

  private setPaused(paused: boolean): void {
    this.paused = paused;
    this.post({ type: 'pause', paused });
    this.render();
  }

  private applyFilter(hiddenBefore: boolean): void {
    for (const [id, el] of this.rowEls) el.setAttribute('class', this.rowClass(id, this.rowVisible(id)));
    this.updateCounts();
    // The detail follows the list: a selected row the filter hides is not shown, and comes back with it.
    if (this.selectedHidden !== hiddenBefore) this.renderDetail();
  }

  private listPane(): DomElement {
    const { b } = this;
    const proxy = this.ui.tab === 'proxy';
    const pane = b.el('div', `list list-${this.ui.tab}`);
    pane.setAttribute('role', 'grid');
    const head = b.el('div', 'row head');
    const cols = proxy ? FLOW_COLUMNS : (['Time (UTC)', 'Listener', 'Sender', 'Size', 'Text', 'Hex'].map((c) => [c, '']) as Array<[string, string]>);
    for (const [c, cls] of cols) head.appendChild(b.el('span', cls ? `cell ${cls}` : 'cell', c));
    pane.appendChild(head);
    this.list = pane;
    const rows = proxy ? this.flows : this.datagrams;
    this.emptyEl = undefined;
    if (rows.size === 0) {
      this.emptyEl = b.el('p', 'muted empty', proxy ? 'No flows yet: send a request through the proxy (e.g. curl -x http://127.0.0.1:8888 http://…).' : 'No datagrams yet: start a listener and send to its group.');
      pane.appendChild(this.emptyEl);
    }
    if (proxy) for (const r of this.flows.values()) this.placeRow(r.id, (el) => fillFlowRow(this.b, el, r), matchesFilter(flowHaystack(r), this.ui.filters.proxy));
    else for (const r of this.datagrams.values()) this.placeRow(r.id, (el) => fillDatagramRow(this.b, el, r), matchesFilter(datagramHaystack(r), this.ui.filters.multicast));
    return pane;
  }

  private detailPane(): DomElement {
    this.detailEl = this.b.el('div', 'detail');
    this.fillDetail(this.detailEl);
    return this.detailEl;
  }

  /** Rebuilds the detail pane alone (a detail or a reply arrived; the list stays as it is). */
  private renderDetail(): void {
    if (!this.detailEl) return this.render();
    this.detailEl.textContent = '';
    this.fillDetail(this.detailEl);
  }

  private fillDetail(pane: DomElement): void {
    const { b } = this;
    if (!this.selected) {
      pane.appendChild(b.el('p', 'muted', `Select a ${this.ui.tab === 'proxy' ? 'flow' : 'datagram'} to see its details.`));
      return;
    }
    if (this.selectedHidden) {
      const unit = this.selected.what === 'flow' ? 'flow' : 'datagram';
      pane.appendChild(b.el('p', 'muted filtered', `The selected ${unit} is hidden by the filter: change or clear the filter to see it again, or select a ${unit} the list shows.`));
      return;
    }
    if (this.reply) pane.appendChild(b.el('div', this.reply.ok ? 'notice notice-info reply' : 'notice notice-error reply', this.reply.text));
    if (this.detailGone) pane.appendChild(b.el('p', 'muted', 'That row is no longer kept.'));
    else if (!this.detail) pane.appendChild(b.el('p', 'muted', 'Loading…'));
    else {
      const actions = {
        act: (a: TrafficAction) => this.act(a),
        setMode: (m: BodyMode) => {
          this.setUi({ bodyMode: m }, false);
          this.renderDetail();
        },
        setForm: (f: BodyForm) => {
          this.setUi({ bodyForm: f }, false);
          this.renderDetail();
        },
      };
      pane.appendChild('requestHeaders' in this.detail ? renderFlowDetail(b, this.detail, this.ui.bodyMode, actions, this.ui.bodyForm) : renderDatagramDetail(b, this.detail, actions));
    }
  }
}
