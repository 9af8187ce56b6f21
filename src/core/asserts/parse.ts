/**
 * A block's `??` lines → checks, against the fields of the block's request kind (its protocol syntax's
 * `asserts`). `checkAsserts` is what the parser runs on every block, so the diagnostics show while typing;
 * the resolver parses again (quietly) and checks the expected values once `{{variables}}` are expanded.
 */
import { kindSyntax, protocolLabel, type Protocol } from '../protocols/kinds';
import type { AssertLine, Block, Diagnostic, Dialect } from '../netreq/types';
import type { AssertFieldSpec } from './fields';
import { parseAssertLine } from './grammar';
import type { AssertCheck } from './types';

export interface ParseAssertsOptions {
  /** The block's request kind: its fields are the ones taken (absent: any field). */
  protocol?: Protocol;
  dialect?: Dialect;
}

/** The assert fields a request kind has. */
export function assertFieldsFor(protocol: Protocol): readonly AssertFieldSpec[] {
  return kindSyntax(protocol).asserts;
}

/** `??` lines → checks; problems (unknown field or operator, missing value, bad pattern…) go to `diags`. */
export function parseAsserts(lines: readonly AssertLine[], diags: Diagnostic[], opts: ParseAssertsOptions = {}): AssertCheck[] {
  const out: AssertCheck[] = [];
  const fields = opts.protocol ? assertFieldsFor(opts.protocol) : undefined;
  const label = opts.protocol ? protocolLabel(opts.protocol) : undefined;
  for (const l of lines) {
    const c = parseAssertLine(l, { fields, label, dialect: opts.dialect }, diags);
    if (c) out.push(c);
  }
  return out;
}

/** The parser's check of every block's asserts (blocks without a request line have none). */
export function checkAsserts(blocks: readonly Block[], dialect: Dialect, diags: Diagnostic[]): void {
  for (const b of blocks) {
    if (b.asserts.length === 0 || !b.requestLine) continue;
    parseAsserts(b.asserts, diags, { protocol: b.requestLine.protocol, dialect });
  }
}
