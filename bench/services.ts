/**
 * Processes for the service rows of `npm run bench`: the real CLI (`netreq proxy`, `netreq listen`) of this build or
 * of the baseline (NETREQ_BENCH_BASELINE), and the bench's own helper children (children.ts), each under a deadline.
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { freePort, waitForPort } from '../test/support/peers';
import type { Baseline } from './baseline';
import { StepTimeout, track } from './deadline';

/** This build's CLI (the tsc output the bench was compiled with). */
export const CURRENT_CLI = path.join(__dirname, '..', 'src', 'cli', 'main.js');
const CHILDREN = path.join(__dirname, 'children.js');

/** The baseline's CLI, or why there is none; undefined without a baseline (rows then carry no check). */
export function baselineCli(b: Baseline | undefined): { cli?: string; why?: string } | undefined {
  if (!b) return undefined;
  if (!b.out) return { why: b.error ?? `baseline ${b.rev} not built` };
  const cli = path.join(b.out, 'src', 'cli', 'main.js');
  return fs.existsSync(cli) ? { cli } : { why: `${b.rev} has no CLI entry (src/cli/main.ts)` };
}

export interface CliService {
  pid: number;
  port: number;
  logFile: string;
  stop(): Promise<{ code: number | null; lastLine: string }>;
}

/** Starts `netreq ARGS` with its output going to a log file; resolves once `ready()` says so (bounded). */
export async function startCli(cli: string, args: string[], dir: string, ready: (log: () => string) => Promise<number>): Promise<CliService> {
  const logFile = path.join(dir, `netreq-${args[0]}-${Date.now()}.log`);
  const fd = fs.openSync(logFile, 'w');
  const child = track(spawn(process.execPath, [cli, ...args], { stdio: ['ignore', fd, 'pipe'] }));
  fs.closeSync(fd);
  let stderr = '';
  child.stderr!.on('data', (d) => (stderr += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  let port: number;
  try {
    port = await ready(() => fs.readFileSync(logFile, 'utf8'));
  } catch (e) {
    child.kill('SIGKILL');
    throw new Error(`netreq ${args.join(' ')} did not start: ${(e as Error).message}\n${stderr}`, { cause: e });
  }
  return {
    pid: child.pid!,
    port,
    logFile,
    async stop() {
      child.kill('SIGINT');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      const code = await exited;
      clearTimeout(timer);
      const lines = fs.readFileSync(logFile, 'utf8').trimEnd().split('\n');
      return { code, lastLine: lines[lines.length - 1] ?? '' };
    },
  };
}

export async function startNetreqProxy(cli: string, dir: string): Promise<CliService> {
  const port = await freePort();
  return startCli(cli, ['proxy', '--port', String(port)], dir, async () => {
    await waitForPort(port);
    return port;
  });
}

export async function startNetreqListener(cli: string, dir: string, group: string, port: number): Promise<CliService> {
  return startCli(cli, ['listen', `${group}:${port}`, '--interface', '127.0.0.1'], dir, async (log) => {
    for (let i = 0; i < 100; i++) {
      if (log().includes('Listening on')) return port;
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('no "Listening on" line within 10 s');
  });
}

export function procStatus(pid: number): { rssMb: number; fds: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { rssMb: rssKb / 1024, fds: fs.readdirSync(`/proc/${pid}/fd`).length };
}

/** Runs a bench child (children.ts) and resolves with its `result` message (or rejects with its `error`). */
export function child<T>(args: string[], onReady?: (port: number) => void, timeoutMs = 300_000): { done: Promise<T>; proc: ChildProcess } {
  const proc = track(fork(CHILDREN, args, { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: { ...process.env, NETREQ_BENCH_CHILD_MS: String(timeoutMs + 5000) } }));
  const done = new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill('SIGKILL');
      reject(new StepTimeout(`bench child ${args[0]}`, timeoutMs));
    }, timeoutMs);
    proc.on('message', (m: { ready?: number; result?: T; error?: string }) => {
      if (m.ready !== undefined) onReady?.(m.ready);
      if (m.error) {
        clearTimeout(timer);
        reject(new Error(m.error));
      }
      if (m.result) {
        clearTimeout(timer);
        resolve(m.result);
      }
    });
    proc.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`bench child ${args[0]} exited ${code} without a result`));
    });
  });
  return { done, proc };
}

export async function startSource(bytes: number): Promise<{ port: number; stop: () => void }> {
  let ready!: (p: number) => void;
  const port = new Promise<number>((r) => (ready = r));
  const c = child<never>(['source', String(bytes)], ready);
  c.done.catch(() => undefined);
  return { port: await Promise.race([port, c.done]), stop: () => c.proc.kill() };
}
