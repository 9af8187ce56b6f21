/** Shared helpers for the .netreq language tests. */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import type { Diagnostic, NetreqDocument, ResolveContext, ResolveResult } from '../../../src/core/netreq/types';
import { DEFAULT_OPTIONS, type RequestSpec } from '../../../src/core/request';

/** Repository root (tests run from out/test/unit/netreq). */
export const ROOT = path.resolve(__dirname, '..', '..', '..', '..');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures', 'netreq');

/** 2030-01-31T12:34:56.789Z, a Thursday. */
export const NOW = new Date(Date.UTC(2030, 0, 31, 12, 34, 56, 789));

export function ctx(over: Partial<ResolveContext> = {}): ResolveContext {
  return {
    processEnv: {},
    readFile: (p) => fs.promises.readFile(p),
    defaults: { ...DEFAULT_OPTIONS },
    baseDir: FIXTURES,
    now: () => NOW,
    ...over,
  };
}

/** Diagnostics with a given code. */
export function withCode(doc: { diagnostics: Diagnostic[] }, code: string): Diagnostic[] {
  return doc.diagnostics.filter((d) => d.code === code);
}

/** Asserts exactly one diagnostic with `code` at (line, col) with `severity`, message matching `re`. */
export function expectDiag(
  diags: Diagnostic[],
  code: string,
  line: number,
  col: number,
  severity: Diagnostic['severity'],
  re?: RegExp,
): Diagnostic {
  const found = diags.filter((d) => d.code === code);
  assert.equal(found.length, 1, `expected one '${code}', got: ${JSON.stringify(diags, null, 1)}`);
  const d = found[0];
  assert.deepEqual([d.span.start.line, d.span.start.col], [line, col], `position of ${code}: ${d.message}`);
  assert.equal(d.severity, severity, `severity of ${code}`);
  assert.ok(d.span.end.line > d.span.start.line || d.span.end.col >= d.span.start.col, 'span end is not before start');
  assertReadable(d.message);
  if (re) assert.match(d.message, re);
  return d;
}

/** A message a person can act on: a full phrase, no "undefined"/"[object", not shouting. */
export function assertReadable(message: string): void {
  assert.ok(message.length >= 15, `message too short: ${message}`);
  assert.doesNotMatch(message, /undefined|\[object|NaN/, `message leaks internals: ${message}`);
  assert.match(message, /^[A-Z'#@{`"(]/, `message should start like a sentence: ${message}`);
}

export function only(doc: NetreqDocument): Diagnostic[] {
  return doc.diagnostics;
}

export async function resolveText(text: string, over: Partial<ResolveContext> = {}, index = 0): Promise<ResolveResult> {
  const doc = parseNetreq(text);
  const block = doc.blocks[index];
  assert.ok(block, `no block ${index}`);
  return resolveBlock(doc, block, ctx(over));
}

export async function resolveOk(text: string, over: Partial<ResolveContext> = {}, index = 0): Promise<RequestSpec> {
  const r = await resolveText(text, over, index);
  assert.ok(r.ok, `expected ok, got ${JSON.stringify(r.diagnostics, null, 1)}`);
  return r.request;
}

export async function resolveFail(text: string, over: Partial<ResolveContext> = {}, index = 0): Promise<Diagnostic[]> {
  const r = await resolveText(text, over, index);
  assert.equal(r.ok, false, 'expected the block not to resolve');
  return r.diagnostics;
}

/** Mulberry32: a small seeded PRNG for reproducible fuzzing. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Best-of-several time of `run(make(n))` and of `run(make(factor * n))`, and their ratio. Linear
 * code gives about `factor` (less with fixed costs); quadratic code gives about factor².
 * CPU time of this process (not wall time), best of several runs; inputs are built before timing,
 * and one untimed run warms the code up first.
 */
export async function timeRatio<T>(make: (n: number) => T, run: (input: T) => unknown, n: number, factor = 16): Promise<{ ratio: number; small: number; large: number }> {
  const best = async (input: T, runs: number): Promise<number> => {
    let min = Infinity;
    for (let i = 0; i < runs; i++) {
      const t0 = process.cpuUsage(); // this process's CPU time: other jobs on the machine do not count
      await run(input);
      const t = process.cpuUsage(t0);
      min = Math.min(min, (t.user + t.system) * 1000);
    }
    return min;
  };
  const smallInput = make(n);
  await run(smallInput);
  const small = await best(smallInput, 5);
  const large = await best(make(factor * n), 3);
  return { ratio: large / Math.max(small, 1), small: small / 1e6, large: large / 1e6 };
}

/**
 * Asserts that 16x the input takes well under 16² times as long: for "linear, not quadratic"
 * checks, with a generous bound (never a time in milliseconds).
 */
export async function assertLinear<T>(what: string, make: (n: number) => T, run: (input: T) => unknown, n: number): Promise<void> {
  const factor = 16;
  const r = await timeRatio(make, run, n, factor);
  if (process.env.NETREQ_SHOW_RATIOS) console.log(`${what}: ${r.ratio.toFixed(1)}x (${r.small.toFixed(1)} → ${r.large.toFixed(1)} ms)`);
  // Linear: ~16x. Quadratic: ~256x. 64x leaves room for a busy, shared CI machine (GC, other jobs).
  assert.ok(r.ratio < 64, `${what}: ${factor}x the input took ${r.ratio.toFixed(1)}x the time (${r.small.toFixed(1)} ms → ${r.large.toFixed(1)} ms); expected linear (~${factor}x), quadratic would be ~${factor * factor}x`);
}
