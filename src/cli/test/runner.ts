/**
 * `netreq test`'s runner: one file's blocks in file order (request variables see the blocks sent before them, through
 * one `sent` store per file), files in parallel up to a bound, retries and --bail. Results are plain values; the
 * reporters (report.ts, junit.ts) turn them into text, masked.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { diagnosticsWithKnown, environmentVariables, parseNetreq, readLocalFile, resolveBlock, SentStore } from '../../core/netreq';
import type { Block, Environments, NetreqDocument } from '../../core/netreq/types';
import { gateBlock } from '../gate';
import { evaluateAsserts, type AssertOutcome } from '../../core/asserts';
import type { Exchange } from '../../core/exchange';
import type { RequestOptions } from '../../core/request';
import type { Engines } from '../../core/engines';
import type { StatusRange, TestArgs } from './args';
import { REDACTED, type Masker } from './mask';
import { stripBom } from '../../core/text';

/** Most blocks one file may run (a generated file of a million requests is refused, with a message). */
export const MAX_BLOCKS_PER_FILE = 100_000;


export type BlockStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface StatusCheck {
  /** `status not in 4xx,5xx` */
  text: string;
  passed: boolean;
  actual?: number;
}

export interface BlockResult {
  /** 1-based line of the request line. */
  line: number;
  title: string;
  name?: string;
  /** What reports call the block: its @name, else its title, else `line N`. */
  label: string;
  status: BlockStatus;
  outcomes: AssertOutcome[];
  statusCheck?: StatusCheck;
  /** The exchange's total time in ms (the last try). */
  durationMs: number;
  tries: number;
  /** `GET http://…` / `TCP host:port`. */
  request?: string;
  /** `200 OK`, when there was a response. */
  response?: string;
  /** Why the request failed (transport) or could not be prepared (diagnostics, file:line:col). */
  error?: string;
  /** Why it did not run (--bail). */
  skipReason?: string;
}

export interface FileResult {
  file: string;
  /** When the file started, ISO 8601. */
  timestamp: string;
  durationMs: number;
  blocks: BlockResult[];
  /** Problems that make the run a usage/file error (exit 2): parse errors, blocks that could not be prepared. */
  problems: string[];
  /** Warnings (stderr). */
  warnings: string[];
}

export interface RunnerDeps {
  args: TestArgs;
  engines: Engines;
  defaults: RequestOptions;
  environments: Environments;
  envName?: string;
  /** The active environment's secret variables (private env files, .env): their values are masked in reports. */
  secretNames?: ReadonlySet<string>;
  processEnv: Record<string, string | undefined>;
  masker: Masker;
  /** Shared across files: set by the first failure under --bail. */
  stop: { bailed: boolean };
  /** Waits between tries (tests pass a quick one). */
  sleep?: (ms: number) => Promise<void>;
}

export function dialectOf(file: string): 'http' | 'netreq' {
  const ext = path.extname(file).toLowerCase();
  return ext === '.http' || ext === '.rest' ? 'http' : 'netreq';
}

function label(b: Block): string {
  return b.name || b.title || `line ${(b.requestLine?.line ?? b.startLine) + 1}`;
}

/** The blocks `netreq test` runs in a file, by the flags. */
export function selectBlocks(doc: NetreqDocument, args: TestArgs): Block[] {
  let blocks = doc.blocks.filter((b) => b.requestLine);
  if (args.name !== undefined) blocks = blocks.filter((b) => b.name === args.name);
  if (args.grep) blocks = blocks.filter((b) => args.grep!.test(b.title) || (b.name !== undefined && args.grep!.test(b.name)));
  if (args.all) return blocks;
  const asserted = blocks.filter((b) => b.asserts.length > 0);
  // A file without asserts is checked by status when --fail-on-status says how.
  if (asserted.length === 0 && args.failOnStatus.length > 0 && !doc.blocks.some((b) => b.asserts.length > 0)) return blocks;
  return asserted;
}

function statusCheck(x: Exchange, ranges: readonly StatusRange[]): StatusCheck | undefined {
  if (ranges.length === 0) return undefined;
  const text = `status not ${ranges.map((r) => r.text).join(',')}`;
  if (x.kind !== 'http' || !x.response) return { text, passed: x.kind !== 'http' && !x.error };
  const s = x.response.status;
  return { text, passed: !ranges.some((r) => s >= r.from && s <= r.to), actual: s };
}

function requestText(x: Exchange): string {
  if (x.kind === 'http') return `${x.request.method} ${x.request.url}`;
  if (x.kind === 'ws') return `WS ${x.request.url}`;
  return `${x.request.protocol.toUpperCase()} ${x.request.target}`;
}

function responseText(x: Exchange): string | undefined {
  if (x.kind === 'http') return x.response ? `${x.response.status} ${x.response.reason}`.trim() : undefined;
  return undefined;
}

/** Header asserts on a redacted header (Authorization, Cookie, …) show neither value. */
function redactOutcomes(outcomes: AssertOutcome[], masker: Masker): AssertOutcome[] {
  return outcomes.map((o) =>
    o.check.field === 'header' && masker.isRedactedHeader(o.check.arg)
      ? { ...o, actual: o.actual === undefined ? undefined : REDACTED, expected: o.expected === undefined ? undefined : REDACTED, message: `${o.check.field} ${o.check.arg} ${o.check.op}${o.expected === undefined ? '' : ` ${REDACTED}`}: ${o.status}` }
      : o,
  );
}

function verdict(x: Exchange, outcomes: AssertOutcome[], sc: StatusCheck | undefined): BlockStatus {
  if (x.error) return 'error';
  if (outcomes.some((o) => o.status !== 'passed')) return 'failed';
  if (sc && !sc.passed) return 'failed';
  return 'passed';
}

const sleepReal = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export async function runFile(file: string, deps: RunnerDeps): Promise<FileResult> {
  const started = Date.now();
  const result: FileResult = { file, timestamp: new Date(started).toISOString().replace(/\.\d{3}Z$/, 'Z'), durationMs: 0, blocks: [], problems: [], warnings: [] };
  const where = (line: number, col: number) => `${file}:${line + 1}:${col + 1}`;
  let text: string;
  try {
    text = stripBom(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    result.problems.push(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}`);
    return result;
  }
  const { args } = deps;
  const doc = parseNetreq(text, { dialect: dialectOf(file) });
  const known = { ...environmentVariables(deps.environments, deps.envName), ...args.vars };
  for (const d of diagnosticsWithKnown(doc, (n) => Object.prototype.hasOwnProperty.call(known, n))) {
    const line = `${where(d.span.start.line, d.span.start.col)}: ${d.severity}: ${d.message}`;
    if (d.severity === 'error') result.problems.push(line);
    else if (d.severity === 'warning') result.warnings.push(line);
  }
  if (result.problems.length > 0) return result;
  const blocks = selectBlocks(doc, args);
  if (blocks.length > MAX_BLOCKS_PER_FILE) {
    result.problems.push(`${file}: ${blocks.length} blocks to run, more than ${MAX_BLOCKS_PER_FILE.toLocaleString('en-US')}: split the file`);
    return result;
  }
  const sent = new SentStore('run');
  const baseDir = path.dirname(path.resolve(file));
  const sleep = deps.sleep ?? sleepReal;
  for (const block of blocks) {
    const line = (block.requestLine?.line ?? block.startLine) + 1;
    const base = { line, title: block.title, name: block.name, label: label(block), outcomes: [] as AssertOutcome[], durationMs: 0, tries: 0 };
    if (deps.stop.bailed) {
      result.blocks.push({ ...base, status: 'skipped', skipReason: 'not run: an earlier test failed (--bail)' });
      continue;
    }
    // # @disabled is skipped; # @note needs --yes (a CI run cannot confirm); # @prompt takes --var name=value.
    const gate = gateBlock(block, `${file}:${line}`, args.vars, args.yes);
    if (gate.action === 'skip') {
      result.blocks.push({ ...base, status: 'skipped', skipReason: gate.message });
      continue;
    }
    if (gate.action === 'refuse') {
      result.problems.push(gate.message);
      result.blocks.push({ ...base, status: 'error', error: gate.message });
      if (args.bail) deps.stop.bailed = true;
      continue;
    }
    const resolved = await resolveBlock(doc, block, {
      environmentName: deps.envName,
      environments: deps.environments,
      secretNames: deps.secretNames,
      promptValues: gate.promptValues,
      overrides: args.vars,
      baseDir,
      processEnv: deps.processEnv,
      readFile: (p) => readLocalFile(p),
      defaults: deps.defaults,
      sent,
    });
    if (!resolved.ok) {
      const lines = resolved.diagnostics.filter((d) => d.severity === 'error').map((d) => `${where(d.span.start.line, d.span.start.col)}: error: ${d.message}`);
      result.problems.push(...lines);
      result.blocks.push({ ...base, status: 'error', error: lines.join('\n') || 'could not prepare this request' });
      if (args.bail) deps.stop.bailed = true;
      continue;
    }
    deps.masker.add(resolved.secrets);
    let block_: BlockResult | undefined;
    for (let attempt = 0; attempt <= args.retries; attempt++) {
      if (attempt > 0) await sleep(args.retryDelayMs);
      const x = await deps.engines.send(resolved.request);
      const outcomes = redactOutcomes(evaluateAsserts(resolved.asserts, x), deps.masker);
      const sc = resolved.asserts.length === 0 ? statusCheck(x, args.failOnStatus) : undefined;
      block_ = { ...base, status: verdict(x, outcomes, sc), outcomes, statusCheck: sc, durationMs: x.timings.total, tries: attempt + 1, request: requestText(x), response: responseText(x), error: x.error?.message };
      sent.record(block, resolved.request, x);
      if (block_.status === 'passed') break;
    }
    result.blocks.push(block_!);
    if (block_!.status !== 'passed' && args.bail) deps.stop.bailed = true;
  }
  result.durationMs = Date.now() - started;
  return result;
}

/** Runs `items` through `work`, at most `limit` at once; results in input order. */
export async function bounded<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await work(items[i], i);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, lane));
  return out;
}
