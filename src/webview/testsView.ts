/**
 * The Tests tab and the status line's "3/4 asserts" figure, shared by the response, transcript and WebSocket
 * session pages: each `??` assert with pass / fail, expected and actual. Text nodes only.
 */
import { assertsFigure, type AssertResultView, type AssertsMessage } from '../shared/assertMessages';
import type { Builder, DomElement } from './dom';

const MARK: Record<AssertResultView['status'], string> = { passed: '✓', failed: '✗', error: '!' };
const WORD: Record<AssertResultView['status'], string> = { passed: 'passed', failed: 'failed', error: 'could not be checked' };

/** "3/4 asserts", red when one failed (or could not be checked), green when all passed. */
export function assertsBadge(b: Builder, m: AssertsMessage): DomElement {
  const ok = m.passed === m.total;
  const pending = m.results.length === 0 && m.total > 0 && m.note !== undefined;
  const cls = pending ? 'asserts-badge asserts-pending' : ok ? 'asserts-badge asserts-ok' : 'asserts-badge asserts-failed';
  const el = b.el('span', cls, pending ? `${m.total} assert${m.total === 1 ? '' : 's'} pending` : assertsFigure(m));
  el.setAttribute('title', m.note ?? (ok ? 'Every assert passed' : `${m.total - m.passed} of ${m.total} asserts did not pass (Tests tab)`));
  return el;
}

/** The Tests tab: one row per assert (line, text, result, expected vs actual). */
export function renderTests(b: Builder, m: AssertsMessage): DomElement {
  const root = b.el('div', 'tab-content tab-tests');
  if (m.note) root.appendChild(b.el('p', 'muted', m.note));
  if (m.results.length === 0) {
    if (!m.note) root.appendChild(b.el('p', 'muted', 'This block has no asserts.'));
    return root;
  }
  const table = b.el('table', 'asserts');
  const body = b.el('tbody');
  table.appendChild(body);
  for (const r of m.results) {
    const row = b.el('tr', `assert-${r.status}`);
    const mark = b.el('td', 'assert-mark', MARK[r.status]);
    mark.setAttribute('title', WORD[r.status]);
    const what = b.add(b.el('td', 'assert-what'), b.el('div', 'assert-text', r.text), b.el('div', 'muted', `line ${r.line + 1} · ${WORD[r.status]}`));
    const detail = b.el('td', 'assert-detail');
    if (r.status !== 'passed' || r.actual !== undefined) {
      if (r.expected !== undefined) detail.appendChild(b.add(b.el('div', 'assert-expected'), b.el('span', 'muted', 'expected '), b.el('span', 'assert-value', r.expected)));
      if (r.actual !== undefined) detail.appendChild(b.add(b.el('div', 'assert-actual'), b.el('span', 'muted', 'actual '), b.el('span', 'assert-value', r.actual)));
      if (r.status !== 'passed') detail.appendChild(b.el('div', 'assert-message', r.message));
    }
    body.appendChild(b.add(row, mark, what, detail));
  }
  root.appendChild(table);
  if (m.total > m.results.length) root.appendChild(b.el('p', 'muted', `${m.total - m.results.length} more asserts are not shown.`));
  return root;
}
