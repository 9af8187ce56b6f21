import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { HealthResult } from '../../../src/core/health/checks';
import type { CheckStatus, HealthSummary } from '../../../src/core/health/scheduler';
import { checkDescription, checkIcon, checkTooltip, escapeMarkdown, formatAge, oneLine, resultRow, statusBarView, unhealthyNotice } from '../../../src/extension/health/format';
import type { HealthEntry } from '../../../src/extension/health/settings';

const NOW = Date.UTC(2025, 0, 1, 12, 0, 0);
const entry: HealthEntry = { name: 'api', source: { kind: 'setting', scope: 'workspace', name: 'api' }, config: { name: 'api', target: 'http://127.0.0.1:8080/' }, target: 'http://127.0.0.1:8080/' };
const result = (state: HealthResult['state'], latencyMs: number, agoMs: number, extra: Partial<HealthResult> = {}): HealthResult => ({ state, latencyMs, at: NOW - agoMs, summary: state === 'unhealthy' ? 'down' : `HTTP 200 in ${latencyMs} ms`, ...extra });
const status = (history: HealthResult[], extra: Partial<CheckStatus> = {}): CheckStatus => ({ config: entry.config!, state: history.at(-1)?.state ?? 'unknown', last: history.at(-1), history, running: false, ...extra });
const summary = (s: Partial<HealthSummary>): HealthSummary => ({ total: 0, healthy: 0, degraded: 0, unhealthy: 0, unknown: 0, ...s });

describe('health view: words and looks', () => {
  it('the pure modules never import vscode (they run in plain Node tests)', () => {
    for (const f of ['targets.ts', 'settings.ts', 'format.ts']) {
      const src = fs.readFileSync(path.join(__dirname, '../../../../src/extension/health', f), 'utf8');
      assert.doesNotMatch(src, /from 'vscode'/, f);
    }
  });

  it('escapes everything from outside so no link, image, HTML, code or emphasis can be formed', () => {
    const evil = '[click](command:workbench.action.terminal.new) ![x](https://evil/x.png) <img src=x onerror=alert(1)> `code` *em* _u_ # h\n- item $(zap)';
    const out = escapeMarkdown(evil);
    assert.doesNotMatch(out, /(^|[^\\])[[\]()<>`*_#!$]/, out);
    assert.doesNotMatch(out, /\n/);
    assert.equal(out.replace(/\\(.)/g, '$1'), evil.replace('\n', ' '), 'unescaping gives the text back');
    assert.equal(escapeMarkdown('x'.repeat(600), 10), `${'x'.repeat(10)}…`);
  });

  it('ages and descriptions: "12 ms · 5 s ago", checking, paused, idle, cannot run', () => {
    assert.deepEqual([500, 5_000, 150_000, 7_300_000, 200_000_000].map(formatAge), ['just now', '5 s ago', '2 min ago', '2 h ago', '2 d ago']);
    assert.equal(checkDescription(entry, status([result('healthy', 12, 5000)]), NOW, false), '12 ms · 5 s ago');
    assert.equal(checkDescription(entry, status([result('healthy', 1500, 0)], { running: true }), NOW, false), '1.5 s · just now · checking…');
    assert.equal(checkDescription(entry, status([]), NOW, false), 'waiting for the first check');
    assert.equal(checkDescription(entry, status([], { running: true }), NOW, false), 'checking…');
    assert.equal(checkDescription(entry, status([result('healthy', 3, 60_000)]), NOW, true), '3 ms · 1 min ago · paused');
    assert.equal(checkDescription({ ...entry, idle: true }, undefined, NOW, false), 'idle: Restricted Mode');
    assert.match(checkDescription({ ...entry, config: undefined, problem: '"x" needs host:port' }, undefined, NOW, false), /^cannot run: "x" needs host:port/);
  });

  it('a failing check shows its error (one short line), not how long the failure took', () => {
    const refused = result('unhealthy', 1, 5000, { error: 'Connection refused: nothing is listening on 127.0.0.1:1' });
    assert.equal(checkDescription(entry, status([refused]), NOW, false), 'Connection refused: nothing is listening on 127.0.0.1:1 · 5 s ago');
    const slow = result('degraded', 1500, 0, { error: 'slow: 1.5 s (over 1 s)' });
    assert.equal(checkDescription(entry, status([slow], { running: true }), NOW, false), 'slow: 1.5 s (over 1 s) · just now · checking…');
    const hostile = result('unhealthy', 1, 60_000, { error: `status 500 \u001b]0;owned\u0007 \u202eevil\r\nX-Injected: ${'y'.repeat(200)}` });
    const d = checkDescription(entry, status([hostile]), NOW, true);
    assert.match(d, /^status 500 \]0;owned evil X-Injected: y+… · 1 min ago · paused$/);
    // eslint-disable-next-line no-control-regex
    assert.doesNotMatch(d, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/);
    assert.equal(d.split(' · ')[0].length, 80);
    assert.equal(oneLine('a\u0085b\u2067c\td'), 'a b c d', 'C1, bidi isolates and tabs become spaces');
    assert.equal(resultRow(refused).description, 'down: Connection refused: nothing is listening on 127.0.0.1:1');
  });

  it('icons: state codicons with theme colours, a spinner for a first run, a slash when idle', () => {
    assert.deepEqual(checkIcon(entry, status([result('healthy', 1, 1)])), { id: 'pass', color: 'testing.iconPassed' });
    assert.deepEqual(checkIcon(entry, status([result('degraded', 1, 1)])), { id: 'warning', color: 'editorWarning.foreground' });
    assert.deepEqual(checkIcon(entry, status([result('unhealthy', 1, 1)])), { id: 'error', color: 'testing.iconFailed' });
    assert.deepEqual(checkIcon(entry, status([])), { id: 'circle-outline', color: 'disabledForeground' });
    assert.deepEqual(checkIcon(entry, status([], { running: true })), { id: 'loading~spin' });
    assert.deepEqual(checkIcon({ ...entry, idle: true }, undefined), { id: 'circle-slash', color: 'disabledForeground' });
    const row = resultRow(result('unhealthy', 4, 0, { error: 'connection refused' }));
    assert.equal(row.description, 'down: connection refused');
    assert.equal(row.icon.id, 'error');
  });

  it('the tooltip has target, source, last error (escaped), details and the history bars with uptime', () => {
    const history = [result('healthy', 10, 30_000), result('healthy', 20, 20_000), result('unhealthy', 5, 10_000, { error: 'refused <b>[x](command:y)</b>', details: { status: 502 } })];
    const md = checkTooltip(entry, status(history), NOW);
    assert.match(md, /^\*\*api\*\*: Unhealthy/);
    assert.match(md, /Target: http\\:\\\/\\\/127\\\.0\\\.0\\\.1\\:8080\\\//);
    assert.match(md, /Defined in: workspace settings/);
    assert.match(md, /Error: refused \\<b\\>\\\[x\\\]\\\(command\\:y\\\)\\<\\\/b\\>/);
    assert.match(md, /status: 502/);
    assert.match(md, /History: ▄█✕ \(up 66\.7% of the last 3 checks\)/);
    assert.doesNotMatch(md, /[^\\]<b>|\]\(command/);
    const idle = checkTooltip({ ...entry, idle: true }, undefined, NOW);
    assert.match(idle, /Idle \(Restricted Mode\)/);
    assert.match(idle, /run only once you trust it/);
  });

  it('the status bar: healthy/all, red for unhealthy, yellow for degraded, failing checks in the tooltip, hidden without checks', () => {
    const base = { failing: [], paused: false, mode: 'auto' as const, idle: 0, problems: 0 };
    const ok = statusBarView({ ...base, summary: summary({ total: 2, healthy: 2 }) });
    assert.deepEqual([ok.visible, ok.text, ok.background], [true, '$(pulse) 2/2', undefined]);
    const warn = statusBarView({ ...base, summary: summary({ total: 2, healthy: 1, degraded: 1 }), failing: [{ name: 'slow', state: 'degraded', error: 'slow: 1.2 s (over 1 s)' }] });
    assert.deepEqual([warn.text, warn.background], ['$(pulse) 1/2', 'statusBarItem.warningBackground']);
    assert.match(warn.tooltip, /\*\*slow\*\* degraded: slow\\: 1\\\.2 s \\\(over 1 s\\\)/);
    const bad = statusBarView({ ...base, summary: summary({ total: 6, healthy: 5, unhealthy: 1 }), failing: [{ name: 'db', state: 'unhealthy', error: 'connection refused' }, { name: 'ok', state: 'healthy' }] });
    assert.deepEqual([bad.text, bad.background], ['$(pulse) 5/6', 'statusBarItem.errorBackground']);
    assert.match(bad.tooltip, /^NetReq health\\: 5 of 6 healthy\\, 1 unhealthy/);
    assert.match(bad.tooltip, /✕ \*\*db\*\* unhealthy: connection refused/);
    assert.doesNotMatch(bad.tooltip, /\*\*ok\*\*/);
    const paused = statusBarView({ ...base, paused: true, summary: summary({ total: 1, unknown: 1 }) });
    assert.equal(paused.text, '$(debug-pause) 0/1');
    assert.match(paused.tooltip, /Paused/);
    assert.equal(statusBarView({ ...base, summary: summary({}) }).visible, false);
    assert.equal(statusBarView({ ...base, mode: 'always', summary: summary({}) }).visible, true);
    const idle = statusBarView({ ...base, idle: 2, summary: summary({}) });
    assert.equal(idle.visible, true, 'idle workspace checks keep the item visible, so the reason is one hover away');
    assert.match(idle.tooltip, /2 checks from this workspace idle in Restricted Mode/);
  });

  it('notifications: one check by name with its error; several at once in one message', () => {
    assert.equal(unhealthyNotice([{ name: 'db', error: 'connection refused' }]), 'NetReq: health check "db" is unhealthy: connection refused');
    assert.equal(unhealthyNotice([{ name: 'a' }, { name: 'b' }]), 'NetReq: 2 health checks are unhealthy: "a", "b"');
    assert.match(unhealthyNotice('abcdefg'.split('').map((name) => ({ name }))), /7 health checks .*"e", …$/);
  });
});
