/**
 * `netreq test`'s reports on standard output: the readable summary (default), TAP version 13 (--tap) and JSON
 * lines (--json). Cases come masked (cases.ts); text from outside is escaped here for its line, and again by the
 * CLI's sink (terminalIo), which keeps only NetReq's own colours.
 */
import type { Style } from '../format';
import { jsonLine, safeLine } from '../../core/text';
import type { TestCase, Totals } from './cases';
import type { FileResult } from './runner';
import type { Masker } from './mask';

/** The cases of each block (one pass, not a filter per block: a file may have 100,000 blocks). */
function byBlock(cases: readonly TestCase[]): Map<TestCase['block'], TestCase[]> {
  const m = new Map<TestCase['block'], TestCase[]>();
  for (const c of cases) {
    const list = m.get(c.block);
    if (list) list.push(c);
    else m.set(c.block, [c]);
  }
  return m;
}

const ms = (n: number) => (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${Math.round(n)} ms`);

/** One file's part of the summary: the file, then each block ✓/✗ with the failing asserts' expected and actual. */
export function summaryLines(f: FileResult, cases: readonly TestCase[], style: Style, m: Masker): string[] {
  const out = [style.bold(safeLine(f.file))];
  const grouped = byBlock(cases);
  for (const b of f.blocks) {
    const mine = grouped.get(b) ?? [];
    const passed = mine.filter((c) => c.status === 'passed').length;
    const mark = b.status === 'passed' ? style.green('✓') : b.status === 'skipped' ? style.dim('-') : style.red('✗');
    const counts = b.outcomes.length > 0 ? `  ${passed}/${b.outcomes.length} asserts` : '';
    const tries = b.tries > 1 ? `, ${b.tries} tries` : '';
    const resp = b.response ? `  ${safeLine(m.text(b.response))}` : '';
    out.push(`  ${mark} ${safeLine(m.text(b.label))} ${style.dim(`(line ${b.line})`)}${resp}${counts}  ${style.dim(`${ms(b.durationMs)}${tries}`)}`);
    if (b.status === 'skipped') continue;
    if (b.error) for (const l of m.text(b.error).split('\n').slice(0, 20)) out.push(`      ${style.red(safeLine(l))}`);
    for (const c of mine) {
      if (c.status === 'passed' || c.status === 'skipped' || (c.status === 'error' && b.error)) continue;
      out.push(`      ${style.red('✗')} ${safeLine(c.name.slice(c.name.indexOf(': ') + 2))} ${style.dim(`(line ${c.line})`)}`);
      if (c.expected !== undefined) out.push(`          expected: ${safeLine(c.expected)}`);
      if (c.actual !== undefined) out.push(`          actual:   ${safeLine(c.actual)}`);
      else if (c.message) out.push(`          ${safeLine(c.message)}`);
    }
  }
  return out;
}

export function totalsLine(t: Totals, style: Style, bailed: boolean, filesWithErrors = 0): string {
  const parts = [`${t.passed} passed`];
  if (t.failed) parts.push(style.red(`${t.failed} failed`));
  if (t.errors) parts.push(style.red(`${t.errors} errors`));
  if (t.skipped) parts.push(style.yellow(`${t.skipped} skipped`));
  if (filesWithErrors) parts.push(style.red(`${filesWithErrors} file${filesWithErrors === 1 ? '' : 's'} with errors (above)`));
  const head = t.failed + t.errors + filesWithErrors > 0 ? style.red('✗') : style.green('✓');
  const blocks = `${t.blocks.passed + t.blocks.failed + t.blocks.skipped} requests`;
  return `${head} Tests: ${parts.join(', ')} of ${t.tests} · ${blocks} in ${t.files} file${t.files === 1 ? '' : 's'} · ${ms(t.durationMs)}${bailed ? ' · stopped at the first failure (--bail)' : ''}`;
}

/** TAP version 13: the plan, one line per case, YAML diagnostics for those that did not pass. */
export function tapLines(cases: readonly TestCase[]): string[] {
  const out = ['TAP version 13', `1..${cases.length}`];
  const y = (s: string) => JSON.stringify(s); // a YAML double-quoted scalar (JSON strings are valid YAML)
  cases.forEach((c, i) => {
    const desc = safeLine(`${c.file}: ${c.name}`).replace(/#/g, '\\#');
    if (c.status === 'skipped') {
      out.push(`ok ${i + 1} - ${desc} # SKIP ${safeLine(c.message ?? '')}`);
      return;
    }
    out.push(`${c.status === 'passed' ? 'ok' : 'not ok'} ${i + 1} - ${desc}`);
    if (c.status === 'passed') return;
    out.push('  ---', `  message: ${y(c.message ?? c.status)}`, `  severity: ${c.status === 'error' ? 'error' : 'fail'}`, `  at: ${y(`${c.file}:${c.line}`)}`);
    if (c.expected !== undefined) out.push(`  expected: ${y(c.expected)}`);
    if (c.actual !== undefined) out.push(`  actual: ${y(c.actual)}`);
    out.push('  ...');
  });
  return out;
}

/** --json: one object per block (its asserts inside), written as each file ends. */
export function jsonBlockLines(f: FileResult, cases: readonly TestCase[], m: Masker): string[] {
  const grouped = byBlock(cases);
  return f.blocks.map((b) =>
    jsonLine({
      file: f.file,
      line: b.line,
      title: m.text(b.title) || undefined,
      name: m.text(b.name),
      status: b.status,
      durationMs: Math.round(b.durationMs * 10) / 10,
      tries: b.tries,
      request: m.text(b.request),
      response: m.text(b.response),
      error: m.text(b.error ?? b.skipReason),
      statusCheck: b.statusCheck,
      asserts: (grouped.get(b) ?? []).map((c) => ({ line: c.line, name: c.name, status: c.status, expected: c.expected, actual: c.actual, message: c.message })),
    }),
  );
}

export function jsonTotalsLine(t: Totals): string {
  return jsonLine({ totals: t });
}
