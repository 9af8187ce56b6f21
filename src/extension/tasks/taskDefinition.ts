/**
 * The `netreq` task type: what a task definition may say, checked and filled in with defaults, and the
 * names it goes by (task name, status bar, quick pick). Plain TypeScript (no `vscode`), unit-tested.
 *
 *   { "type": "netreq", "service": "proxy", "host": "127.0.0.1", "port": 8888, "upstream": "http://…" }
 *   { "type": "netreq", "service": "multicastListener", "group": "239.255.0.1", "port": 5000, "interface": "127.0.0.1" }
 */
import { isIP } from 'node:net';
import { isMulticast } from '../../core/listener/multicast';

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
}

export interface ListenerConfig {
  service: 'multicastListener';
  group: string;
  port: number;
  interface?: string;
}

export type ServiceConfig = ProxyConfig | ListenerConfig;

export const PROXY_DEFAULTS: ProxyConfig = { service: 'proxy', host: '127.0.0.1', port: 8888 };
export const LISTENER_DEFAULTS: ListenerConfig = { service: 'multicastListener', group: '239.255.0.1', port: 5000, interface: '127.0.0.1' };

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '::ffff:127.0.0.1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function portOf(v: unknown, fallback: number, allowZero: boolean): number | string {
  if (v === undefined || v === null || v === '') return fallback;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  if (!Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 65535) return `"port" must be a whole number ${allowZero ? '0' : '1'}–65535 (got ${JSON.stringify(v)})`;
  return n;
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
    const cfg: ProxyConfig = { service, host: host ?? base.host, port };
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
  if (cfg.service === 'proxy') return { type: TASK_TYPE, service: 'proxy', host: cfg.host, port: cfg.port, ...(cfg.upstream ? { upstream: cfg.upstream } : {}) };
  return { type: TASK_TYPE, service: 'multicastListener', group: cfg.group, port: cfg.port, ...(cfg.interface ? { interface: cfg.interface } : {}) };
}

const hp = (host: string, port: number) => (host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`);

/** The task's name: "proxy 127.0.0.1:8888", "multicast listener 239.255.0.1:5000 on 127.0.0.1". */
export function serviceLabel(cfg: ServiceConfig): string {
  if (cfg.service === 'proxy') return `proxy ${hp(cfg.host, cfg.port)}${cfg.upstream ? ` via ${cfg.upstream}` : ''}`;
  return `multicast listener ${hp(cfg.group, cfg.port)}${cfg.interface ? ` on ${cfg.interface}` : ''}`;
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
