/**
 * The `asserts` message: the results of a block's `??` asserts after a send, for the response, transcript and
 * WebSocket session panels (their Tests tab and the "3/4 asserts" figure of the status line). Built on the host
 * from the core's AssertOutcome; checked again on the page (a malformed message is dropped, not drawn).
 * Imports neither `vscode` nor the DOM.
 */
import { isCount, isOptional, isStr, record } from './shapes';

/** The core's AssertStatus (src/core/asserts/types.ts), repeated here: the pages do not load core modules. */
export type AssertStatus = 'passed' | 'failed' | 'error';

/** What `assertsMessage` reads of the core's AssertOutcome. */
export interface OutcomeLike {
  check: { text: string; line: number };
  status: AssertStatus;
  expected?: string;
  actual?: string;
  message: string;
}

/** One assert's result as the page shows it. */
export interface AssertResultView {
  /** The `??` line as written (trimmed). */
  text: string;
  /** 0-based line in the file. */
  line: number;
  status: AssertStatus;
  expected?: string;
  actual?: string;
  /** One sentence: "status == 200: got 404". */
  message: string;
}

export interface AssertsMessage {
  type: 'asserts';
  /** The WebSocket session the results belong to (session panel only). */
  sessionId?: string;
  results: AssertResultView[];
  passed: number;
  total: number;
  /** Said instead of results while there are none yet (a session still open). */
  note?: string;
}

/** Most results carried (a block with more shows the first ones and says how many in `total`). */
export const MAX_ASSERT_RESULTS = 500;
/** Most characters of an expected / actual value or a message carried. */
export const MAX_ASSERT_TEXT = 2000;

function cap(s: string | undefined): string | undefined {
  return s === undefined ? undefined : s.length > MAX_ASSERT_TEXT ? `${s.slice(0, MAX_ASSERT_TEXT)}…` : s;
}

export function assertsMessage(outcomes: readonly OutcomeLike[], sessionId?: string): AssertsMessage {
  const results = outcomes.slice(0, MAX_ASSERT_RESULTS).map((o) => ({
    text: cap(o.check.text) ?? '',
    line: o.check.line,
    status: o.status,
    expected: cap(o.expected),
    actual: cap(o.actual),
    message: cap(o.message) ?? '',
  }));
  return { type: 'asserts', sessionId, results, passed: outcomes.filter((o) => o.status === 'passed').length, total: outcomes.length };
}

/** "3/4 asserts" (passed / total). */
export function assertsFigure(m: Pick<AssertsMessage, 'passed' | 'total'>): string {
  return `${m.passed}/${m.total} asserts`;
}

const STATUSES: ReadonlySet<unknown> = new Set(['passed', 'failed', 'error']);

function isResult(v: unknown): boolean {
  const o = record(v);
  return !!o && isStr(o.text) && isCount(o.line) && STATUSES.has(o.status) && isOptional(o.expected, isStr) && isOptional(o.actual, isStr) && isStr(o.message);
}

/** Page-side check of an `asserts` message. */
export function isAssertsShape(o: Record<string, unknown>): boolean {
  return (
    o.type === 'asserts' &&
    isOptional(o.sessionId, isStr) &&
    Array.isArray(o.results) &&
    o.results.length <= MAX_ASSERT_RESULTS &&
    o.results.every(isResult) &&
    isCount(o.passed) &&
    isCount(o.total) &&
    o.passed <= o.total &&
    o.results.length <= o.total &&
    isOptional(o.note, isStr)
  );
}
