/**
 * Results → test cases, the unit every report counts: one per assert (as httpyac counts: one JUnit testcase per
 * `??` line, so both tools' pass/fail counts agree on a shared file), and one for a block without asserts (its
 * request, or its --fail-on-status check). Every string here is masked (Masker) and still raw otherwise: each
 * reporter escapes for its own format.
 */
import type { BlockResult, FileResult } from './runner';
import type { Masker } from './mask';

export type CaseStatus = 'passed' | 'failed' | 'error' | 'skipped';

export interface TestCase {
  file: string;
  /** 1-based line of the assert (or of the request line for a block-level case). */
  line: number;
  block: BlockResult;
  /** Unique within the file: `login: status == 200`. */
  name: string;
  status: CaseStatus;
  /** One sentence, for a case that did not pass. */
  message?: string;
  expected?: string;
  actual?: string;
  /** Seconds: the block's time shared between its cases, as httpyac does. */
  time: number;
  /** The block's request (`GET http://…`) and response line (`200 OK`), masked. */
  request?: string;
  response?: string;
}

export interface Totals {
  files: number;
  blocks: { passed: number; failed: number; skipped: number };
  tests: number;
  passed: number;
  failed: number;
  errors: number;
  skipped: number;
  durationMs: number;
}

const assertName = (text: string) => text.replace(/^\?\?\s*/, '');

export function fileCases(f: FileResult, m: Masker): TestCase[] {
  const out: TestCase[] = [];
  const names = new Set<string>();
  const unique = (name: string, line: number) => {
    let n = names.has(name) ? `${name} (line ${line})` : name;
    for (let i = 2; names.has(n); i++) n = `${name} (line ${line}) #${i}`;
    names.add(n);
    return n;
  };
  for (const b of f.blocks) {
    const label = m.text(b.label);
    const time = b.durationMs / 1000 / Math.max(1, b.outcomes.length);
    const exchange = { request: m.text(b.request), response: m.text(b.response) };
    if (b.outcomes.length === 0) {
      const what = b.statusCheck?.text ?? 'request';
      const failedCheck = b.statusCheck && !b.statusCheck.passed;
      const status: TestCase['status'] = b.status === 'skipped' ? 'skipped' : b.status === 'error' ? 'error' : failedCheck || b.status === 'failed' ? 'failed' : 'passed';
      const message =
        status === 'error' ? m.text(b.error ?? 'request failed') : status === 'failed' ? `${what}: got ${b.statusCheck?.actual ?? 'no status'}` : status === 'skipped' ? b.skipReason : undefined;
      out.push({ file: f.file, line: b.line, block: b, name: unique(`${label}: ${what}`, b.line), status, message, expected: b.statusCheck?.text, actual: b.statusCheck?.actual?.toString(), time, ...exchange });
      continue;
    }
    for (const o of b.outcomes) {
      const status: TestCase['status'] = b.status === 'error' ? 'error' : o.status === 'passed' ? 'passed' : 'failed';
      const message = status === 'passed' ? undefined : status === 'error' && b.error ? m.text(`request failed: ${b.error}`) : m.text(o.message);
      out.push({ file: f.file, line: o.check.line + 1, block: b, name: unique(`${label}: ${m.text(assertName(o.check.text))}`, o.check.line + 1), status, message, expected: m.text(o.expected), actual: m.text(o.actual), time, ...exchange });
    }
  }
  return out;
}

/** Skipped blocks (--bail) have no outcomes: their `??` lines are not known as checks, so they count as one case. */
export function totalsOf(files: readonly FileResult[], cases: readonly TestCase[], durationMs: number): Totals {
  const t: Totals = { files: files.length, blocks: { passed: 0, failed: 0, skipped: 0 }, tests: cases.length, passed: 0, failed: 0, errors: 0, skipped: 0, durationMs };
  for (const c of cases) {
    if (c.status === 'passed') t.passed++;
    else if (c.status === 'failed') t.failed++;
    else if (c.status === 'error') t.errors++;
    else t.skipped++;
  }
  for (const f of files) {
    for (const b of f.blocks) {
      if (b.status === 'passed') t.blocks.passed++;
      else if (b.status === 'skipped') t.blocks.skipped++;
      else t.blocks.failed++;
    }
  }
  return t;
}
