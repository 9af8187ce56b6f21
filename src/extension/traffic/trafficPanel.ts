/**
 * The traffic panel: one webview listing proxy flows and multicast datagrams live. A static shell, the
 * rows over postMessage — a snapshot after the webview says `ready`, then batches at most every 100 ms
 * (TrafficFeed) — and a row's detail only when the webview asks. Actions (Open as .netreq, Copy as curl)
 * and the service buttons come back as messages the host checks.
 */
import type * as vscode from 'vscode';
import { isTrafficToHost, type HostToTraffic, type ServiceSummary, type TrafficAction, type TrafficCommand, type TrafficToHost } from '../../shared/trafficMessages';
import { Disposable } from '../lifecycle';
import type { ActionResult } from '../panels/bodyActions';
import { PanelHost } from '../panels/panelHost';
import { panelResources, PanelRegistry, type PanelKind } from '../panels/panelRegistry';
import { TrafficFeed, type FeedCounts } from './trafficFeed';
import { decodedFlowDetail } from './flowDecode';
import { datagramDetail, type TrafficStore } from './trafficStore';
import { renderTrafficHtml, storedDatagramAsNetreq, storedFlowAsCurl, storedFlowAsNetreq, TRAFFIC_VIEW_TYPE } from './trafficContent';

export type { ActionResult };

export interface TrafficHandlers {
  /** Opens a row as a .netreq document ("flow-12", its text, "flow 12" for the words). */
  openReplay(name: string, content: string, what: string): Promise<ActionResult>;
  copy(text: string): Promise<ActionResult>;
  runCommand(command: TrafficCommand): void;
}

export interface TrafficViewState {
  open: boolean;
  visible: boolean;
  paused: boolean;
  /** Whether the webview said `ready` since it was (re)loaded. */
  ready: boolean;
  posted: FeedCounts;
}

const COMMANDS: Record<TrafficCommand, string> = {
  startProxy: 'netreq.startProxy',
  stopProxy: 'netreq.stopProxy',
  startMulticastListener: 'netreq.startMulticastListener',
  stopMulticastListener: 'netreq.stopMulticastListener',
};

export function trafficCommandId(c: TrafficCommand): string {
  return COMMANDS[c];
}

class TrafficWebview extends PanelHost<HostToTraffic, TrafficToHost> {
  readonly feed: TrafficFeed;
  ready = false;

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly store: TrafficStore,
    private readonly services: () => ServiceSummary[],
    private readonly handlers: TrafficHandlers,
  ) {
    super(panel, renderTrafficHtml(panelResources(panel.webview, extensionUri, 'traffic', ['response', 'traffic'])), isTrafficToHost);
    this.feed = new TrafficFeed(store, (m) => this.post(m), services);
    this.register(
      panel.onDidChangeViewState((e) => {
        // A hidden webview is unloaded (no retained context): it says `ready` again when shown.
        if (!e.webviewPanel.visible) {
          this.ready = false;
          this.feed.setVisible(false);
        }
      }),
    );
  }

  override post(m: HostToTraffic): void {
    super.post(m);
  }

  protected replay(): void {
    this.ready = true;
    this.feed.setVisible(true);
    this.feed.snapshot();
  }

  protected onMessage(m: TrafficToHost): void {
    switch (m.type) {
      case 'pause':
        this.feed.setPaused(m.paused);
        break;
      case 'clear':
        this.store.clear(m.what);
        this.feed.snapshot();
        break;
      case 'select':
        if (m.what === 'flow') {
          const s = this.store.flow(m.id);
          if (!s) this.post({ type: 'flowDetail', id: m.id });
          else void decodedFlowDetail(s).then((detail) => !this.isDisposed && this.post({ type: 'flowDetail', id: m.id, detail }));
        } else {
          const s = this.store.datagramById(m.id);
          this.post({ type: 'datagramDetail', id: m.id, detail: s ? datagramDetail(s) : undefined });
        }
        break;
      case 'action':
        void this.answer(m);
        break;
      case 'command':
        this.handlers.runCommand(m.command);
        break;
    }
  }

  /** Runs a row action and replies with its result (also what the API's `act` uses). */
  answer(m: Extract<TrafficToHost, { type: 'action' }>): Promise<ActionResult> {
    return this.reply(m.id, () => this.act(m.action, m.target));
  }

  private async act(action: TrafficAction, target: number): Promise<ActionResult> {
    const gone = { ok: false, message: 'That row is no longer kept (the view keeps the last rows only, setting netreq.traffic.maxFlows).' };
    if (action === 'openDatagram') {
      const s = this.store.datagramById(target);
      const text = s && storedDatagramAsNetreq(s);
      return text ? this.handlers.openReplay(`datagram-${target}`, text, `datagram ${target}`) : gone;
    }
    const s = this.store.flow(target);
    if (!s) return gone;
    if (action === 'copyCurl') {
      const r = await this.handlers.copy(storedFlowAsCurl(s));
      return r.ok ? { ok: true, message: 'Copied the curl command (it goes to the server directly, not through the proxy).' } : r;
    }
    return this.handlers.openReplay(`flow-${target}`, storedFlowAsNetreq(s), `flow ${target}`);
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.feed.dispose();
    super.dispose();
  }
}

const TRAFFIC_KIND: PanelKind = { viewType: TRAFFIC_VIEW_TYPE, title: 'NetReq Traffic', retainContextWhenHidden: false, inFront: true };
/** The traffic panel's one key in its registry. */
const ONE = 'traffic';

/** The one traffic panel, created on demand ("NetReq: Show Traffic", the status bar item). */
export class TrafficPanelManager extends Disposable {
  private readonly registry: PanelRegistry<typeof ONE, TrafficWebview>;
  private nextRequest = 0;

  constructor(
    extensionUri: vscode.Uri,
    store: TrafficStore,
    private readonly services: () => ServiceSummary[],
    handlers: TrafficHandlers,
  ) {
    super();
    this.registry = this.register(new PanelRegistry(TRAFFIC_KIND, extensionUri, () => ONE, (_k, panel) => new TrafficWebview(panel, extensionUri, store, services, handlers)));
  }

  private get current(): TrafficWebview | undefined {
    return this.registry.get(ONE);
  }

  show(): void {
    this.registry.show(ONE);
  }

  /**
   * The panel VS Code restored after a window reload becomes the traffic panel again (it lists what this
   * window has seen since: the proxy and the listener stopped with the old window). One is kept.
   */
  adopt(panel: vscode.WebviewPanel): boolean {
    return this.registry.adopt(ONE, panel) !== undefined;
  }

  /** The store recorded something (called for every flow and datagram: cheap). */
  notify(): void {
    this.current?.feed.notify();
  }

  /** The cap changed or a service started or stopped. */
  refresh(servicesOnly: boolean): void {
    const v = this.current;
    if (!v?.ready) return;
    if (servicesOnly) v.post({ type: 'services', services: this.services() });
    else v.feed.snapshot();
  }

  get state(): TrafficViewState {
    const v = this.current;
    return { open: !!v, visible: !!v?.visible, paused: !!v?.feed.paused, ready: !!v?.ready, posted: v ? { ...v.feed.posted } : { snapshots: 0, batches: 0, flows: 0, datagrams: 0 } };
  }

  /** Runs a row action as the webview's button does (tests use it through the API). */
  act(action: TrafficAction, target: number): Promise<ActionResult> {
    const v = this.current;
    if (!v) return Promise.resolve({ ok: false, message: 'The traffic view is not open (NetReq: Show Traffic).' });
    return v.answer({ type: 'action', id: -++this.nextRequest, action, target });
  }

  /** Feeds a message as if the webview posted it (tests: pause, clear). */
  receive(m: TrafficToHost): void {
    this.current?.receive(m);
  }
}
