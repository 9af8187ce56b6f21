/**
 * The Pseudoterminal a `netreq` task runs in (CustomExecution): it starts the proxy or the multicast
 * listener when the terminal opens, prints a live log (a line per flow or datagram, counts every few
 * seconds), and stops the service — sockets closed, group left, port freed — when the task is terminated
 * or the terminal closed. A start that fails prints why, in words, and ends the task with exit code 1.
 */
import * as vscode from 'vscode';
import { MulticastListener, type Datagram } from '../../core/listener/multicast';
import { ProxyServer, type Flow } from '../../core/proxy/server';
import { listenerStatsText, type KernelDrops } from '../../shared/kernelDrops';
import { safeLine } from '../../core/text';
import { hostPort } from '../../core/transport/address';
import { ANSI, LogWriter, datagramLine, listenerStatsLine, proxyFlowLine } from './logLines';
import { refusalLine } from '../../core/proxy/log';
import { serviceConfig, serviceKey, serviceLabel, trustRefusal, type ListenerConfig, type ProxyConfig, type ServiceConfig, type TaskOrigin } from './taskDefinition';

export type { TaskOrigin };

export type SessionState = 'starting' | 'running' | 'stopped' | 'failed';

/** One run of a service task, as the registry and the API see it. */
export interface ServiceSession {
  readonly id: number;
  readonly origin: TaskOrigin;
  config?: ServiceConfig;
  label: string;
  key: string;
  state: SessionState;
  /** Where the proxy listens once it does (port 0 in the definition: the port it got). */
  address?: { host: string; port: number };
  exitCode?: number;
  startedAt: number;
  /** The last lines the terminal printed (without colors). */
  readonly lines: readonly string[];
  /** A listener's kernel drop count as last read (null: this system does not say); undefined for a proxy. */
  kernelDrops?: KernelDrops;
  /** Stops the service as Terminate Task does (for deactivation and the API). */
  stop(why: string): Promise<void>;
}

/** What the terminal needs from the services registry. */
export interface ServiceHost {
  isTrusted(): boolean;
  defaults(): { proxy: ProxyConfig; listener: ListenerConfig };
  started(session: ServiceSession): void;
  ended(session: ServiceSession): void;
  flowStarted(flow: Flow, session: ServiceSession): void;
  flowEnded(flow: Flow, session: ServiceSession): void;
  datagram(d: Datagram, session: ServiceSession, source: ListenerConfig): void;
  /** A listener's kernel drop count changed (the traffic view shows it). */
  listenerStats(session: ServiceSession): void;
  warn(message: string): void;
}

const STATS_EVERY_MS = 5000;
let nextSession = 1;

function startError(cfg: ServiceConfig, e: unknown): string {
  const err = e as NodeJS.ErrnoException;
  if (cfg.service === 'multicastListener') return err.message;
  const where = hostPort(cfg.host, cfg.port);
  switch (err.code) {
    case 'EADDRINUSE':
      return `port ${cfg.port} on ${cfg.host} is already in use: stop what uses it, or choose another port (the task's "port", or the setting netreq.proxy.port)`;
    case 'EACCES':
      return `port ${cfg.port} needs privileges: use a port above 1023`;
    case 'EADDRNOTAVAIL':
    case 'ENOTFOUND':
      return `${cfg.host} is not an address of this machine, so the proxy cannot listen on ${where}`;
    default:
      return `${where}: ${err.message}`;
  }
}

export class ServiceTerminal implements vscode.Pseudoterminal, ServiceSession {
  private readonly writeEmitter = new vscode.EventEmitter<string>();
  private readonly closeEmitter = new vscode.EventEmitter<number>();
  readonly onDidWrite = this.writeEmitter.event;
  readonly onDidClose = this.closeEmitter.event;
  readonly id = nextSession++;
  readonly startedAt = Date.now();
  config?: ServiceConfig;
  label = 'NetReq service';
  key = '';
  state: SessionState = 'starting';
  address?: { host: string; port: number };
  exitCode?: number;
  kernelDrops?: KernelDrops;
  private readonly log: LogWriter;
  private proxy?: ProxyServer;
  private listener?: MulticastListener;
  private stopping?: Promise<void>;
  private closed = false;

  constructor(
    private readonly definition: Record<string, unknown>,
    readonly origin: TaskOrigin,
    private readonly host: ServiceHost,
  ) {
    this.log = new LogWriter((s) => this.writeEmitter.fire(s));
  }

  get lines(): readonly string[] {
    return this.log.recent;
  }

  open(): void {
    void this.start();
  }

  /** The terminal closed or the task was terminated. */
  close(): void {
    this.closed = true;
    void this.stop('the task was terminated');
  }

  private async start(): Promise<void> {
    const refused = trustRefusal(this.origin, this.host.isTrusted());
    if (refused) return this.fail(refused);
    const cfg = serviceConfig(this.definition, this.host.defaults());
    if ('error' in cfg) return this.fail(`This netreq task cannot start: ${cfg.error}.`);
    this.config = cfg;
    this.label = serviceLabel(cfg);
    this.key = serviceKey(cfg);
    try {
      if (cfg.service === 'proxy') await this.startProxy(cfg);
      else await this.startListener(cfg);
    } catch (e) {
      this.proxy = undefined;
      this.listener = undefined;
      return this.fail(`Cannot start the ${cfg.service === 'proxy' ? 'proxy' : 'multicast listener'}: ${safeLine(startError(cfg, e))}.`);
    }
    if (this.closed) {
      await this.stop('the task was terminated while it started');
      return;
    }
    this.state = 'running';
    this.host.started(this);
  }

  private async startProxy(cfg: ProxyConfig): Promise<void> {
    const proxy = new ProxyServer({
      host: cfg.host,
      port: cfg.port,
      upstream: cfg.upstream,
      maxHeaderBytes: cfg.maxHeaderBytes,
      clientIdleTimeoutMs: cfg.clientIdleTimeout,
      upstreamTimeoutMs: cfg.upstreamTimeout,
      maxConnections: cfg.maxConnections,
      requestHeadTimeoutMs: cfg.requestHeadTimeout,
      tunnelIdleTimeoutMs: cfg.tunnelIdleTimeout,
      allowClients: cfg.allowClients,
      allowConnectPorts: cfg.allowConnectPorts,
    });
    this.proxy = proxy;
    proxy.on('warning', (w) => {
      this.log.now(ANSI.yellow(`Warning: ${safeLine(w)}.`));
      this.host.warn(`NetReq: ${w}.`);
    });
    proxy.on('flow-start', (f) => this.host.flowStarted(f, this));
    proxy.on('flow-end', (f) => {
      this.host.flowEnded(f, this);
      this.log.line(proxyFlowLine(f));
    });
    proxy.on('refused', (r) => this.log.line(ANSI.yellow(refusalLine(r))));
    this.log.now(ANSI.dim(`Starting the NetReq proxy on ${hostPort(cfg.host, cfg.port)}…`));
    const at = await proxy.listen();
    this.address = at;
    const url = `http://${hostPort(at.host, at.port)}`;
    this.label = serviceLabel({ ...cfg, port: at.port });
    this.log.now(ANSI.bold(`NetReq proxy on ${url}${cfg.upstream ? ` (upstream ${cfg.upstream})` : ''}`) + ' — one line per request or tunnel; Terminate Task to stop.');
    this.log.now(ANSI.dim(`Point a client at it, e.g. curl -x ${url} http://example.com/ — NetReq: Show Traffic lists every flow.`));
  }

  private async startListener(cfg: ListenerConfig): Promise<void> {
    const listener = new MulticastListener({ group: cfg.group, port: cfg.port, interface: cfg.interface, statsIntervalMs: STATS_EVERY_MS });
    this.listener = listener;
    listener.on('datagram', (d) => {
      this.host.datagram(d, this, cfg);
      this.log.line(datagramLine(d));
    });
    listener.on('error', (e) => this.log.now(ANSI.red(`Socket error: ${safeLine(e.message)}`)));
    this.log.now(ANSI.dim(`Joining ${listener.label}…`));
    await listener.start();
    this.log.now(ANSI.bold(`Listening on ${listener.label}`) + ' — one line per datagram, counts every 5 s; Terminate Task to stop.');
    this.kernelDrops = listener.stats.kernelDrops;
    let printed = { datagrams: 0, drops: listener.stats.kernelDrops };
    // The listener reads the kernel's drop count every 5 s, then says `stats`: a line when anything changed.
    listener.on('stats', (st) => {
      if (st.kernelDrops !== this.kernelDrops) {
        this.kernelDrops = st.kernelDrops;
        this.host.listenerStats(this);
      }
      if (st.datagrams === printed.datagrams && st.kernelDrops === printed.drops) return;
      printed = { datagrams: st.datagrams, drops: st.kernelDrops };
      const line = listenerStatsLine(listener);
      this.log.now(st.kernelDrops ? ANSI.yellow(line) : ANSI.dim(line));
    });
  }

  /** Prints why the task cannot run and ends it with exit code 1. */
  private fail(message: string): void {
    this.state = 'failed';
    this.exitCode = 1;
    this.log.now(ANSI.red(message));
    this.log.close();
    this.host.ended(this);
    if (!this.closed) this.closeEmitter.fire(1);
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }

  /** Closes sockets, leaves the group, frees the port; idempotent. */
  stop(why: string): Promise<void> {
    this.stopping ??= this.doStop(why);
    return this.stopping;
  }

  private async doStop(why: string): Promise<void> {
    const proxy = this.proxy;
    const listener = this.listener;
    this.proxy = undefined;
    this.listener = undefined;
    if (proxy) {
      proxy.removeAllListeners('flow-start');
      proxy.removeAllListeners('flow-end');
      await proxy.close();
      this.log.now(`Proxy stopped (${why}).`);
    }
    if (listener) {
      const rate = listener.rate();
      listener.removeAllListeners('datagram');
      await listener.stop();
      this.log.now(`Stopped (${why}): ${listenerStatsText(listener.stats, rate)}; left the group.`);
    }
    this.log.close();
    if (this.state !== 'failed') this.state = 'stopped';
    this.host.ended(this);
    if (!this.closed) this.closeEmitter.fire(0);
    this.writeEmitter.dispose();
    this.closeEmitter.dispose();
  }
}
