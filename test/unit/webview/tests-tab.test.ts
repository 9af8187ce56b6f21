import { strict as assert } from 'node:assert';
import { parseAsserts, evaluateAsserts } from '../../../src/core/asserts';
import type { AssertOutcome } from '../../../src/core/asserts';
import type { Exchange } from '../../../src/core/exchange';
import { exchangeMessage } from '../../../src/extension/panels/responseContent';
import { transcriptMessage } from '../../../src/extension/panels/transcriptContent';
import { sessionInfo } from '../../../src/extension/panels/wsSessionContent';
import { assertsMessage, MAX_ASSERT_RESULTS, MAX_ASSERT_TEXT, type AssertsMessage } from '../../../src/shared/assertMessages';
import { isHostToSession, isHostToTranscript, isHostToWebview } from '../../../src/shared/messages';
import { ResponseView } from '../../../src/webview/responseView';
import { SessionView } from '../../../src/webview/sessionView';
import { TranscriptView } from '../../../src/webview/transcriptView';
import { FakeDocument, FakeElement } from './fakeDom';
import { exchange, XSS_IMG, XSS_SCRIPT } from './fixtures';
import { assertSafeDom } from './safeDom';
import { socketExchange, wsExchange } from './socketFixtures';

/** The real parser and evaluator on `??` lines (status asserts: the part of the language the skeleton reads). */
function outcomes(x: Exchange, lines: string[]): AssertOutcome[] {
  const diags: never[] = [];
  const checks = parseAsserts(
    lines.map((text, i) => ({ text, line: 10 + i, span: { start: { line: 10 + i, col: 0 }, end: { line: 10 + i, col: text.length } } })),
    diags,
  );
  assert.equal(diags.length, 0);
  return evaluateAsserts(checks, x);
}

function tab(root: FakeElement, label: string): FakeElement | undefined {
  return root.find((e) => e.tag === 'button' && e.attrs.get('role') === 'tab' && e.text === label);
}

function responseSetup() {
  const doc = new FakeDocument();
  const root = doc.createElement('div');
  const view = new ResponseView(doc, root, () => undefined);
  return { doc, root, view };
}

describe('Tests tab and "3/4 asserts" (fake DOM)', () => {
  it('response panel: no Tests tab without asserts; with them the status line says 3/4 asserts in red and the tab lists pass/fail with expected vs actual', () => {
    const { doc, root, view } = responseSetup();
    const x = exchange();
    view.handle(exchangeMessage(x, 'T', 1024, 1024 * 1024));
    assert.equal(tab(root, 'Tests'), undefined);
    assert.equal(root.byClass('asserts-badge').length, 0);
    const m = assertsMessage(outcomes(x, ['?? status == 200', '?? status != 404', '?? status == 201', '?? status != 500']));
    assert.ok(isHostToWebview(JSON.parse(JSON.stringify(m))));
    view.handle(m);
    const badge = root.byClass('asserts-badge')[0];
    assert.equal(badge.text, '3/4 asserts');
    assert.ok(badge.attrs.get('class')!.includes('asserts-failed'));
    tab(root, 'Tests')!.click();
    const rows = root.find((e) => e.tag === 'table' && (e.attrs.get('class') ?? '').includes('asserts'))!;
    assert.ok(rows);
    assert.equal(root.byClass('assert-failed').length, 1);
    assert.equal(root.byClass('assert-passed').length, 3);
    const failed = root.byClass('assert-failed')[0];
    assert.ok(failed.text.includes('?? status == 201'));
    assert.ok(failed.text.includes('line 13'));
    assert.ok(failed.byClass('assert-expected')[0].text.includes('201'));
    assert.ok(failed.byClass('assert-actual')[0].text.includes('200'));
    assert.ok(failed.text.includes('got 200'));
    assertSafeDom(doc);
  });

  it('all passed: green "2/2 asserts"; a new exchange drops the old results; asserts before any result are ignored', () => {
    const { root, view } = responseSetup();
    const x = exchange();
    view.handle(assertsMessage(outcomes(x, ['?? status == 200'])));
    assert.equal(root.byClass('asserts-badge').length, 0, 'no result yet: nothing to attach them to');
    view.handle(exchangeMessage(x, 'T', 1024, 1024 * 1024));
    view.handle(assertsMessage(outcomes(x, ['?? status == 200', '?? status != 500'])));
    const badge = root.byClass('asserts-badge')[0];
    assert.equal(badge.text, '2/2 asserts');
    assert.ok(badge.attrs.get('class')!.includes('asserts-ok'));
    view.handle(exchangeMessage(x, 'T', 1024, 1024 * 1024));
    assert.equal(root.byClass('asserts-badge').length, 0);
    assert.equal(tab(root, 'Tests'), undefined);
  });

  it('an assert that cannot be read counts as not passed and says so (hostile text stays text)', () => {
    const { doc, root, view } = responseSetup();
    const x = exchange();
    x.response = undefined;
    x.error = { phase: 'connect', message: 'connection refused' };
    view.handle(exchangeMessage(x, 'T', 1024, 1024 * 1024));
    // Written by hand: the real parser reads the '<' in this hostile value as an operator.
    const hostile = `${XSS_SCRIPT}${XSS_IMG}`;
    const check = { text: `?? header x-test == ${hostile}`, line: 10, span: { start: { line: 10, col: 0 }, end: { line: 10, col: 20 } }, field: 'header', arg: 'x-test', op: '==', expected: hostile };
    view.handle(assertsMessage(evaluateAsserts([check], x)));
    assert.equal(root.byClass('asserts-badge')[0].text, '0/1 asserts');
    tab(root, 'Tests')!.click();
    const row = root.byClass('assert-error')[0];
    assert.ok(row.text.includes('could not be checked'));
    assert.ok(row.text.includes(XSS_SCRIPT));
    assertSafeDom(doc);
  });

  it('transcript panel: Tests tab and status line', () => {
    const doc = new FakeDocument();
    const root = doc.createElement('div');
    const view = new TranscriptView(doc, root, () => undefined);
    const x = socketExchange();
    view.handle(transcriptMessage(x, 'T', 1024));
    const m: AssertsMessage = {
      type: 'asserts',
      results: [
        { text: '?? received includes bye', line: 3, status: 'passed', actual: 'bye', expected: 'bye', message: 'passed' },
        { text: '?? receivedBytes > 100', line: 4, status: 'failed', actual: '27', expected: '100', message: '?? receivedBytes > 100: got 27' },
      ],
      passed: 1,
      total: 2,
    };
    assert.ok(isHostToTranscript(m));
    view.handle(m);
    assert.equal(root.byClass('asserts-badge')[0].text, '1/2 asserts');
    tab(root, 'Tests')!.click();
    assert.ok(root.byClass('assert-failed')[0].text.includes('got 27'));
    assertSafeDom(doc);
  });

  it('session panel: "pending" while open, then the results of that session only', () => {
    const doc = new FakeDocument();
    const root = doc.createElement('div');
    const view = new SessionView(doc, root, () => undefined);
    const x = wsExchange();
    const info = sessionInfo({ title: 'Chat', exchange: x, script: { total: 0, sent: 0, running: false }, logCap: 100, frameDataLimit: 1024, now: x.startedAt + 10 });
    view.handle({ type: 'wsSession', info, frames: [], total: 0 });
    const pending: AssertsMessage = { type: 'asserts', sessionId: x.id, results: [], passed: 0, total: 2, note: '2 asserts will be checked when the session closes.' };
    assert.ok(isHostToSession(pending));
    view.handle(pending);
    assert.equal(root.byClass('asserts-badge')[0].text, '2 asserts pending');
    view.handle({ ...pending, sessionId: 'another session', note: undefined, passed: 2, results: [] });
    assert.equal(root.byClass('asserts-badge')[0].text, '2 asserts pending', 'another session’s results are ignored');
    const done: AssertsMessage = { type: 'asserts', sessionId: x.id, results: [{ text: '?? closeCode == 1000', line: 5, status: 'failed', expected: '1000', actual: '1006', message: 'got 1006' }], passed: 0, total: 1 };
    view.handle(done);
    assert.equal(root.byClass('asserts-badge')[0].text, '0/1 asserts');
    tab(root, 'Tests')!.click();
    assert.ok(root.byClass('assert-failed')[0].text.includes('1006'));
    assertSafeDom(doc);
  });
});

describe('asserts message guards', () => {
  const good = (): AssertsMessage => ({ type: 'asserts', results: [{ text: '?? status == 200', line: 1, status: 'passed', message: 'ok' }], passed: 1, total: 1 });
  it('accepts a well-formed message and refuses malformed ones', () => {
    const g = good();
    assert.ok(isHostToWebview(good()));
    assert.ok(isHostToTranscript(good()));
    assert.ok(!isHostToSession(good()), 'the session panel needs the session id');
    const bad: unknown[] = [
      { ...g, results: 'x' },
      { ...g, passed: 2 },
      { ...g, total: -1 },
      { ...g, results: [{ ...g.results[0], status: 'maybe' }] },
      { ...g, results: [{ ...g.results[0], line: 1.5 }] },
      { ...g, results: [{ ...g.results[0], actual: 5 }] },
      { ...g, results: [{ ...g.results[0], text: { toString: 'x' } }] },
      { ...g, note: 3 },
      { ...g, results: [g.results[0], g.results[0]] },
    ];
    for (const b of bad) {
      assert.ok(!isHostToWebview(b), JSON.stringify(b));
      assert.ok(!isHostToTranscript(b), JSON.stringify(b));
    }
  });

  it('the host caps what it carries: results count and text length', () => {
    const x = exchange();
    const many = outcomes(x, Array.from({ length: MAX_ASSERT_RESULTS + 5 }, () => '?? status == 200'));
    many[0] = { ...many[0], actual: 'a'.repeat(MAX_ASSERT_TEXT * 3) };
    const m = assertsMessage(many);
    assert.equal(m.results.length, MAX_ASSERT_RESULTS);
    assert.equal(m.total, MAX_ASSERT_RESULTS + 5);
    assert.ok(m.results[0].actual!.length <= MAX_ASSERT_TEXT + 1);
    assert.ok(isHostToWebview(m));
  });
});
