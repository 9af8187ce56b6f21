/**
 * The contract of `??` asserts (issue 13): what a parsed assert is and what checking it against an exchange says.
 * The parser (netreq/parser.ts) only collects `??` lines into `block.asserts`; this folder parses them, the
 * resolver expands `{{variables}}` in their expected values, and `evaluateAsserts` checks them after the send.
 * The editor (panels, diagnostics, Test Explorer) and the CLI (`netreq test`) consume only these types.
 */
import type { Span } from '../netreq/types';

/** httpyac's operators (HY@89a439d src/models/testFunction / assert) plus their aliases. */
export type AssertOperator = string;

/** One `?? FIELD [ARG] OPERATOR [EXPECTED]` line, parsed; `expected` has its `{{variables}}` expanded once resolved. */
export interface AssertCheck {
  /** The line as written, trimmed (what reports show). */
  text: string;
  line: number;
  span: Span;
  /** `status`, `header`, `body`, `tls.daysLeft`, `received`, … */
  field: string;
  /** `header NAME`, `body $.json.path`, `duration firstByte`, `xpath EXPR`. */
  arg?: string;
  op: AssertOperator;
  /** Absent for operators that take no value (`exists`, `isFalse`, …). */
  expected?: string;
  /** The expected value as written, before `{{variables}}` were expanded (set only when they were). */
  expectedWritten?: string;
  /** `matches /re/flags` reads the slashes as a regular expression literal (.netreq files; .http follow httpyac). */
  regexLiteral?: boolean;
  /** `.http` files: `includes` on a list searches its JSON text, as httpyac does (.netreq: any element equals). */
  httpyacIncludes?: boolean;
}

export type AssertStatus = 'passed' | 'failed' | 'error';

/** What checking one assert said. `error`: the field could not be read (no response, body not JSON, …). */
export interface AssertOutcome {
  check: AssertCheck;
  status: AssertStatus;
  /** The value read, as text (truncated to a few hundred characters), when there was one. */
  actual?: string;
  /** The expected value as text, when the operator takes one. */
  expected?: string;
  /** One sentence: "status == 200: got 404", "header content-type exists: passed". */
  message: string;
  /** How long the field took to read and check, in ms (a big body's JSONPath, a slow pattern). */
  ms?: number;
}

export interface AssertSummary {
  passed: number;
  failed: number;
  errors: number;
  total: number;
}

export function summarizeAsserts(outcomes: readonly AssertOutcome[]): AssertSummary {
  let passed = 0;
  let failed = 0;
  let errors = 0;
  for (const o of outcomes) {
    if (o.status === 'passed') passed++;
    else if (o.status === 'failed') failed++;
    else errors++;
  }
  return { passed, failed, errors, total: outcomes.length };
}
