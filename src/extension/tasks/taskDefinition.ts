/**
 * The `netreq` task type: what a task definition may say, checked and filled in with defaults, and the
 * names it goes by (task name, status bar, quick pick). Plain TypeScript (no `vscode`), unit-tested.
 *
 *   { "type": "netreq", "service": "proxy", "host": "127.0.0.1", "port": 8888, "upstream": "http://…" }
 *   { "type": "netreq", "service": "multicastListener", "group": "239.255.0.1", "port": 5000, "interface": "127.0.0.1" }
 */
import { isIP } from 'node:net';
import { isMulticast } from '../../core/listener/multicast';
import { hostPort, unbracket } from '../../core/transport/address';

export const TASK_TYPE = 'netreq';
export const TASK_SOURCE = 'netreq';

export type ServiceKind = 'proxy' | 'multicastListener';

/** Who asked for the task: a NetReq command, the provider's defaults, or the workspace's tasks.json. */
export type TaskOrigin = 'command' | 'provided' | 'workspace';

/**
 * Workspace Trust: in an untrusted workspace only what the user starts with a NetReq command runs (its
 * settings come from the user: netreq.proxy.host and .upstream are restricted); a task the workspace
 * defines, or the provider built from its settings, does not open a socket. Undefined: it may start.
 */
export function trustRefusal(origin: TaskOrigin, trusted: boolean): string | undefined {
  if (trusted || origin === 'command') return undefined;
  return 'This workspace is not trusted, so NetReq does not start the services it defines (tasks.json): no socket was opened. Trust the workspace (Workspaces: Manage Workspace Trust), or use NetReq: Start Proxy / Start Multicast Listener.';
}

export interface ProxyConfig {
  service: 'proxy';
  host: string;
  port: number;
  upstream?: string;
  /** Largest request head accepted (bytes); bigger gets 431. Default 64 KB. */
  maxHeaderBytes?: number;
  /** Close a client connection idle this long (ms). Default 60 s. */
  clientIdleTimeout?: number;
  /** 504 when an upstream does not answer (or a tunnel target does not connect) in this long (ms). Default 30 s. */
  upstreamTimeout?: number;
  /** Most simultaneous client connections; more get 503. Default 1024. */
  maxConnections?: number;
  /** A request head must arrive within this long (ms) of its first byte, or 408 and close. Default 20 s. */
  requestHeadTimeout?: number;
  /** Close a CONNECT tunnel with no bytes either way for this long (ms). Default 5 min. */
  tunnelIdleTimeout?: number;
  /** Client addresses allowed (IPs); others get 403. */
  allowClients?: string[];
  /** Ports CONNECT may reach; others get 403. */
  allowConnectPorts?: number[];
}

/** The optional proxy limits a task may set: name, smallest and largest value. */
const PROXY_LIMITS = [
  ['maxHeaderBytes', 1024, 16 * 1024 * 1024],
  ['clientIdleTimeout', 100, 86_400_000],
  ['upstreamTimeout', 100, 86_400_000],
  ['maxConnections', 1, 1_000_000],
  ['requestHeadTimeout', 100, 86_400_000],
  ['tunnelIdleTimeout', 100, 86_400_000],
] as const;

export interface ListenerConfig {
  service: 'multicastListener';
  group: string;
  port: number;
  interface?: string;
}

export type ServiceConfig = ProxyConfig | ListenerConfig;

export const PROXY_DEFAULTS: ProxyConfig = { service: 'proxy', host: '127.0.0.1', port: 8888 };
export const LISTENER_DEFAULTS: ListenerConfig = { service: 'multicastListener', group: '239.255.0.1', port: 5000, interface: '127.0.0.1' };

function portOf(v: unknown, fallback: number, allowZero: boolean): number | string {
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 65535) return `"port" must be a whole number ${allowZero ? '0' : '1'}–65535 (got ${JSON.stringify(v)})`;
  return n;
}

function wholeNumber(v: unknown, name: string, min: number, max: number): number | undefined | { error: string } {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) return { error: `"${name}" must be a whole number ${min}–${max} (got ${JSON.stringify(v)})` };
  return v;
}

/** Allow-lists: client IPs, CONNECT ports. */
function allowList(def: Record<string, unknown>): Pick<ProxyConfig, 'allowClients' | 'allowConnectPorts'> | { error: string } {
  const out: Pick<ProxyConfig, 'allowClients' | 'allowConnectPorts'> = {};
  const clients = def.allowClients;
  if (clients !== undefined && clients !== null) {
    if (!Array.isArray(clients) || clients.some((c) => typeof c !== 'string' || isIP(c.trim()) === 0)) return { error: `"allowClients" must be a list of IP addresses, e.g. ["127.0.0.1", "::1"] (got ${JSON.stringify(clients)})` };
    out.allowClients = clients.map((c: string) => c.trim());
  }
  const ports = def.allowConnectPorts;
  if (ports !== undefined && ports !== null) {
    if (!Array.isArray(ports) || ports.some((p) => typeof p !== 'number' || !Number.isInteger(p) || p < 1 || p > 65535)) return { error: `"allowConnectPorts" must be a list of ports 1–65535, e.g. [443] (got ${JSON.stringify(ports)})` };
    out.allowConnectPorts = ports as number[];
  }
  return out;
}

function text(v: unknown, name: string): string | undefined | { error: string } {
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'string') return { error: `"${name}" must be a string (got ${JSON.stringify(v)})` };
  const t = v.trim();
  return t === '' ? undefined : t;
}

/**
 * A task definition (from tasks.json, the provider or a command) as a service configuration, defaults
 * filled in from `defaults`; or a sentence saying what is wrong with it.
 */
export function serviceConfig(def: Record<string, unknown>, defaults: { proxy?: ProxyConfig; listener?: ListenerConfig } = {}): ServiceConfig | { error: string } {
  const service = def.service;
  if (service === 'proxy') {
    const base = defaults.proxy ?? PROXY_DEFAULTS;
    const host = text(def.host, 'host');
    const upstream = text(def.upstream, 'upstream');
    if (typeof host === 'object') return host;
    if (typeof upstream === 'object') return upstream;
    const port = portOf(def.port, base.port, true);
    if (typeof port === 'string') return { error: port };
    // A host in brackets ([::1], as in a URL) is the address inside them.
    const cfg: ProxyConfig = { service, host: unbracket(host ?? base.host), port };
    for (const [name, min, max] of PROXY_LIMITS) {
      const n = wholeNumber(def[name], name, min, max);
      if (typeof n === 'object') return n;
      if (n !== undefined) cfg[name] = n;
    }
    const allowed = allowList(def);
    if ('error' in allowed) return allowed;
    Object.assign(cfg, allowed);
    const up = def.upstream === undefined ? base.upstream : upstream;
    if (up) {
      if (!/^http:\/\/[^/\s]+\/?$/.test(up)) return { error: `"upstream" must be an HTTP proxy URL like http://127.0.0.1:3128 (got ${JSON.stringify(up)})` };
      cfg.upstream = up;
    }
    return cfg;
  }
  if (service === 'multicastListener') {
    const base = defaults.listener ?? LISTENER_DEFAULTS;
    const group = text(def.group, 'group');
    const iface = text(def.interface, 'interface');
    if (typeof group === 'object') return group;
    if (typeof iface === 'object') return iface;
    const port = portOf(def.port, base.port, false);
    if (typeof port === 'string') return { error: port };
    const g = group ?? base.group;
    if (!isMulticast(g)) return { error: `"group" ${JSON.stringify(g)} is not a multicast group: use 224.0.0.0/4 (e.g. 239.255.0.1) or ff00::/8 (e.g. ff01::1234)` };
    const cfg: ListenerConfig = { service, group: g, port };
    const i = def.interface === undefined ? base.interface : iface;
    if (i) cfg.interface = i;
    return cfg;
  }
  return { error: `"service" must be "proxy" or "multicastListener" (got ${JSON.stringify(service)})` };
}

/** The task definition a configuration round-trips through (what tasks.json would hold). */
export function taskDefinition(cfg: ServiceConfig): { type: string; [k: string]: unknown } {
  if (cfg.service === 'proxy') {
    const { service: _s, host, port, ...rest } = cfg;
    return { type: TASK_TYPE, service: 'proxy', host, port, ...Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)) };
  }
  return { type: TASK_TYPE, service: 'multicastListener', group: cfg.group, port: cfg.port, ...(cfg.interface ? { interface: cfg.interface } : {}) };
}


/** The task's name: "proxy 127.0.0.1:8888", "multicast listener 239.255.0.1:5000 on 127.0.0.1". */
export function serviceLabel(cfg: ServiceConfig): string {
  if (cfg.service === 'proxy') return `proxy ${hostPort(cfg.host, cfg.port)}${cfg.upstream ? ` via ${cfg.upstream}` : ''}`;
  return `multicast listener ${hostPort(cfg.group, cfg.port)}${cfg.interface ? ` on ${cfg.interface}` : ''}`;
}

/** Identity of a service: two tasks with the same key are the same service. */
export function serviceKey(cfg: ServiceConfig): string {
  return cfg.service === 'proxy' ? `proxy|${cfg.host}|${cfg.port}` : `multicastListener|${cfg.group}|${cfg.port}|${cfg.interface ?? ''}`;
}

/** "GROUP:PORT" (IPv6 in brackets) from an input box; or what is wrong with it. */
export function parseGroupPort(input: string): { group: string; port: number } | { error: string } {
  const m = /^\s*\[?([^\]\s]+?)\]?:(\d{1,5})\s*$/.exec(input);
  if (!m) return { error: 'Write GROUP:PORT, e.g. 239.255.0.1:5000 (IPv6: [ff01::1234]:5000)' };
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return { error: `Port ${port} is out of range: use 1–65535` };
  if (!isMulticast(m[1])) return { error: `${m[1]} is not a multicast group: use 224.0.0.0/4 (e.g. 239.255.0.1) or ff00::/8 (e.g. ff01::1234)` };
  return { group: m[1], port };
}

/** An interface address from an input box: empty (the OS default), an IP, or IPv6 with a zone ("::%lo"). */
export function checkInterface(input: string): string | undefined {
  const v = input.trim();
  if (v === '' || isIP(v) !== 0 || /^[0-9A-Fa-f:]*%[A-Za-z0-9_.-]+$/.test(v)) return undefined;
  return `${v} is not an address of this machine: write an IP such as 127.0.0.1, or ::%lo for IPv6, or leave it empty for the default`;
}
