/**
 * Issue 5 in VS Code: the `netreq` task type (HTTP proxy, multicast listeners) with its provider, the
 * Start/Stop commands, the status bar item, and the traffic view the running services feed. One
 * registration for the composition root: `const services = registerServices(context)`; the API it returns
 * is what the integration tests read (NetreqApi.services).
 */
import * as vscode from 'vscode';
import type { Datagram } from '../../core/listener/multicast';
import type { Flow } from '../../core/proxy/server';
import { hostPort } from '../../core/transport/address';
import type { DatagramDetail, DatagramRow, FlowDetail, FlowRow, ServiceSummary, TrafficAction, TrafficToHost } from '../../shared/trafficMessages';
import { Disposable } from '../lifecycle';
import { storedDatagramAsNetreq, storedFlowAsCurl, storedFlowAsNetreq, TRAFFIC_VIEW_TYPE } from '../traffic/trafficContent';
import { TrafficPanelManager, trafficCommandId, type ActionResult, type TrafficViewState } from '../traffic/trafficPanel';
import { decodedFlowDetail } from '../traffic/flowDecode';
import type { ReplayDocuments } from '../traffic/replayDocuments';
import { datagramDetail, TrafficStore } from '../traffic/trafficStore';
import { ServiceCommands } from './serviceCommands';
import type { ServiceHost, ServiceSession, SessionState, TaskOrigin } from './serviceTerminal';
import { LISTENER_DEFAULTS, PROXY_DEFAULTS, TASK_TYPE, type ListenerConfig, type ProxyConfig, type ServiceKind } from './taskDefinition';
import { NetreqTaskProvider } from './taskProvider';

export interface SessionInfo {
  id: number;
  kind?: ServiceKind;
  label: string;
  key: string;
  origin: TaskOrigin;
  state: SessionState;
  address?: { host: string; port: number };
  exitCode?: number;
  /** What its terminal printed last (no colors). */
  lines: string[];
  /** A listener's kernel drop count as last read (null: the system does not say). */
  kernelDrops?: number | null;
}

/** What the integration tests (and other extensions) see of the services. */
export interface ServicesApi {
  /** The services running now. */
  running(): SessionInfo[];
  /** Every service run since activation (the last 50), running or ended, with its terminal lines. */
  sessions(): SessionInfo[];
  flows(): FlowRow[];
  datagrams(): DatagramRow[];
  /** What the view's detail pane gets for a flow (bodies decoded when they had a Content-Encoding). */
  flowDetail(id: number): Promise<FlowDetail | undefined>;
  datagramDetail(id: number): DatagramDetail | undefined;
  flowAsNetreq(id: number): string | undefined;
  flowAsCurl(id: number): string | undefined;
  datagramAsNetreq(id: number): string | undefined;
  /** The traffic view: open, paused, what it was sent. */
  view(): TrafficViewState & { max: number; dropped: { flows: number; datagrams: number } };
  /** A row action as the view's button runs it (the view must be open). */
  act(action: TrafficAction, target: number): Promise<ActionResult>;
  /** A message as if the view posted it (pause, clear, select). */
  viewMessage(m: TrafficToHost): void;
  /** The status bar item's text, undefined while it is hidden. */
  statusText(): string | undefined;
}

const SECTION = 'netreq';
const KEEP_SESSIONS = 50;

function settingsDefaults(): { proxy: ProxyConfig; listener: ListenerConfig } {
  const c = vscode.workspace.getConfiguration(SECTION);
  const str = (k: string, d: string | undefined) => {
    const v = c.get<unknown>(k);
    return typeof v === 'string' && v.trim() !== '' ? v.trim() : d;
  };
  const num = (k: string, d: number) => {
    const v = c.get<unknown>(k);
    return typeof v === 'number' && Number.isInteger(v) ? v : d;
  };
  const proxy: ProxyConfig = { service: 'proxy', host: str('proxy.host', PROXY_DEFAULTS.host)!, port: num('proxy.port', PROXY_DEFAULTS.port) };
  const upstream = str('proxy.upstream', undefined);
  if (upstream) proxy.upstream = upstream;
  const listener: ListenerConfig = { service: 'multicastListener', group: str('listener.group', LISTENER_DEFAULTS.group)!, port: num('listener.port', LISTENER_DEFAULTS.port) };
  const iface = str('listener.interface', LISTENER_DEFAULTS.interface);
  if (iface) listener.interface = iface;
  return { proxy, listener };
}

function maxFlowsSetting(): number {
  const v = vscode.workspace.getConfiguration(SECTION).get<unknown>('traffic.maxFlows');
  return typeof v === 'number' && Number.isFinite(v) && v >= 1 ? Math.floor(v) : 1000;
}

function info(s: ServiceSession): SessionInfo {
  return { id: s.id, kind: s.config?.service, label: s.label, key: s.key, origin: s.origin, state: s.state, address: s.address, exitCode: s.exitCode, lines: [...s.lines], kernelDrops: s.kernelDrops };
}

export class ServicesController extends Disposable implements ServiceHost {
  readonly store = new TrafficStore(maxFlowsSetting());
  private readonly live = new Set<ServiceSession>();
  private readonly all: ServiceSession[] = [];
  private readonly status: vscode.StatusBarItem;
  readonly panel: TrafficPanelManager;
  readonly api: ServicesApi;
  constructor(
    context: vscode.ExtensionContext,
    /** "Open as .netreq" documents: read-only, never asking to save on close (Save As .netreq File… keeps one). */
    private readonly replays: ReplayDocuments,
  ) {
    super();
    this.panel = this.register(
      new TrafficPanelManager(context.extensionUri, this.store, () => this.summaries(), {
        openReplay: (name, content, what) => this.replays.open(name, content, what),
        copy: async (text) => {
          await vscode.env.clipboard.writeText(text);
          return { ok: true, message: 'Copied to the clipboard.' };
        },
        runCommand: (c) => void vscode.commands.executeCommand(trafficCommandId(c)),
      }),
    );
    this.status = this.register(vscode.window.createStatusBarItem('netreq.services', vscode.StatusBarAlignment.Left, 90));
    this.status.name = 'NetReq Services';
    this.status.command = 'netreq.showTraffic';
    this.register(vscode.tasks.registerTaskProvider(TASK_TYPE, new NetreqTaskProvider(this)));
    this.register(new ServiceCommands(this, () => this.panel.show()));
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('netreq.traffic.maxFlows') && this.store.setMax(maxFlowsSetting())) this.panel.refresh(false);
      }),
    );
    this.api = this.makeApi();
    this.update();
  }

  // ---------------------------------------------------------------- ServiceHost (the terminals call these)

  isTrusted(): boolean {
    return vscode.workspace.isTrusted;
  }

  defaults(): { proxy: ProxyConfig; listener: ListenerConfig } {
    return settingsDefaults();
  }

  started(session: ServiceSession): void {
    if (this.isDisposed) {
      void session.stop('NetReq was deactivated');
      return;
    }
    this.remember(session);
    this.live.add(session);
    this.update();
  }

  ended(session: ServiceSession): void {
    this.remember(session);
    if (this.live.delete(session)) this.update();
  }

  flowStarted(flow: Flow, session: ServiceSession): void {
    this.store.flowStarted(flow, this.where(session));
    this.panel.notify();
  }

  flowEnded(flow: Flow, session: ServiceSession): void {
    this.store.flowEnded(flow, this.where(session));
    this.panel.notify();
  }

  datagram(d: Datagram, session: ServiceSession, source: ListenerConfig): void {
    this.store.datagram(d, session.label.replace(/^multicast listener /, ''), { group: source.group, port: source.port, interface: source.interface });
    this.panel.notify();
  }

  listenerStats(): void {
    this.panel.refresh(true);
  }

  warn(message: string): void {
    void vscode.window.showWarningMessage(message);
  }

  // ---------------------------------------------------------------- state

  /** Running sessions of a kind (the commands use them). */
  runningOf(kind: ServiceKind): ServiceSession[] {
    return [...this.live].filter((s) => s.config?.service === kind);
  }

  /** Keys of services of a kind that have ended and are not running again (their executions may still be listed for a moment). */
  endedKeys(kind: ServiceKind): Set<string> {
    const live = new Set(this.runningOf(kind).map((s) => s.key));
    return new Set(this.all.filter((s) => s.config?.service === kind && (s.state === 'stopped' || s.state === 'failed') && !live.has(s.key)).map((s) => s.key));
  }

  private where(s: ServiceSession): string {
    return s.address ? hostPort(s.address.host, s.address.port) : s.label;
  }

  private remember(s: ServiceSession): void {
    if (!this.all.includes(s)) this.all.push(s);
    if (this.all.length > KEEP_SESSIONS) this.all.splice(0, this.all.length - KEEP_SESSIONS);
  }

  private summaries(): ServiceSummary[] {
    return [...this.live].filter((s) => s.config).map((s) => ({ kind: s.config!.service, label: s.label, ...(s.kernelDrops !== undefined ? { kernelDrops: s.kernelDrops } : {}) }));
  }

  private update(): void {
    const proxies = this.runningOf('proxy');
    const listeners = this.runningOf('multicastListener').length;
    const parts: string[] = [];
    if (proxies.length === 1) parts.push(`proxy :${proxies[0].address?.port ?? '?'}`);
    else if (proxies.length > 1) parts.push(`${proxies.length} proxies`);
    if (listeners > 0) parts.push(`${listeners} listener${listeners === 1 ? '' : 's'}`);
    if (parts.length === 0) this.status.hide();
    else {
      this.status.text = `$(broadcast) ${parts.join(' · ')}`;
      this.status.tooltip = `NetReq is running:\n${[...this.live].map((s) => `• ${s.label}`).join('\n')}\n\nClick to show the traffic.`;
      this.status.show();
    }
    void vscode.commands.executeCommand('setContext', 'netreq.proxyRunning', proxies.length > 0);
    void vscode.commands.executeCommand('setContext', 'netreq.listenerRunning', listeners > 0);
    this.panel.refresh(true);
  }

  private makeApi(): ServicesApi {
    const store = this.store;
    return {
      running: () => [...this.live].map(info),
      sessions: () => this.all.map(info),
      flows: () => store.flowRows(),
      datagrams: () => store.datagramRows(),
      flowDetail: async (id) => {
        const s = store.flow(id);
        return s && decodedFlowDetail(s);
      },
      datagramDetail: (id) => {
        const s = store.datagramById(id);
        return s && datagramDetail(s);
      },
      flowAsNetreq: (id) => {
        const s = store.flow(id);
        return s && storedFlowAsNetreq(s);
      },
      flowAsCurl: (id) => {
        const s = store.flow(id);
        return s && storedFlowAsCurl(s);
      },
      datagramAsNetreq: (id) => {
        const s = store.datagramById(id);
        return s && storedDatagramAsNetreq(s);
      },
      view: () => ({ ...this.panel.state, max: store.max, dropped: { ...store.dropped } }),
      act: (action, target) => this.panel.act(action, target),
      viewMessage: (m) => this.panel.receive(m),
      statusText: () => (this.live.size > 0 ? this.status.text : undefined),
    };
  }

  /** Stops every running service (deactivation, window closing). */
  override dispose(): void {
    for (const s of this.live) void s.stop('NetReq was deactivated');
    this.live.clear();
    super.dispose();
  }
}

/**
 * The one line the composition root adds: `const services = registerServices(context)` (disposed with the
 * extension). It also registers the traffic panel's serializer: after a window reload the panel comes back as
 * the traffic panel (listing what this window sees: the services stopped with the old window).
 */
export function registerServices(context: vscode.ExtensionContext, replays: ReplayDocuments): { api: ServicesApi; trafficSerializer: vscode.WebviewPanelSerializer } {
  const controller = new ServicesController(context, replays);
  context.subscriptions.push(controller);
  const trafficSerializer: vscode.WebviewPanelSerializer = {
    deserializeWebviewPanel: (panel: vscode.WebviewPanel) => Promise.resolve(void controller.panel.adopt(panel)),
  };
  context.subscriptions.push(vscode.window.registerWebviewPanelSerializer(TRAFFIC_VIEW_TYPE, trafficSerializer));
  return { api: controller.api, trafficSerializer };
}
