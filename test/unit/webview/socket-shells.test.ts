// The HTML shells of the transcript and session panels, and their message guards.
import { strict as assert } from 'node:assert';
import { renderTranscriptHtml, transcriptMessage } from '../../../src/extension/panels/transcriptContent';
import { renderSessionHtml, logFrame } from '../../../src/extension/panels/wsSessionContent';
import { renderWebviewHtml } from '../../../src/extension/panels/webviewShell';
import { isHostToSession, isHostToTranscript, isSessionRequest, isSessionToHost, isTranscriptToHost } from '../../../src/shared/messages';
import { XSS_IMG, XSS_SCRIPT } from './fixtures';
import { hostileSocketExchange, wsFrame } from './socketFixtures';

const CSP_SOURCE = 'https://*.vscode-cdn.net';
const base = 'https://file%2B.vscode-resource.vscode-cdn.net/ext';
const params = (entry: string) => ({
  cspSource: CSP_SOURCE,
  scriptUri: `${base}/dist/webview/${entry}.js`,
  styleUris: [`${base}/media/response.css`, `${base}/media/sockets.css`],
});

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'has a CSP meta tag');
  return m[1];
}

for (const [name, render, entry] of [
  ['transcript', renderTranscriptHtml, 'transcript'],
  ['session', renderSessionHtml, 'session'],
] as const) {
  describe(`${name} panel HTML shell`, () => {
    it('has the strict CSP of the response panel: default-src none, nonce for the one script, no unsafe-*', () => {
      const html = render(params(entry));
      const csp = cspOf(html);
      const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
      assert.deepEqual(directives['default-src'], ["'none'"]);
      assert.deepEqual(directives['style-src'], [CSP_SOURCE]);
      assert.deepEqual(directives['img-src'], [CSP_SOURCE, 'data:']);
      assert.equal(directives['script-src'].length, 1);
      const nonce = /^'nonce-([A-Za-z0-9+/_-]+=*)'$/.exec(directives['script-src'][0])![1];
      const scripts = [...html.matchAll(/<script\b([^>]*)>([^<]*)<\/script>/g)];
      assert.equal(scripts.length, 1);
      assert.match(scripts[0][1], new RegExp(`nonce="${nonce}"`));
      assert.ok(scripts[0][1].includes(`src="${base}/dist/webview/${entry}.js"`));
      assert.equal(scripts[0][2], '', 'no inline script');
      assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
    });

    it('loads both stylesheets from media and has no inline style', () => {
      const html = render(params(entry));
      assert.ok(html.includes(`<link rel="stylesheet" href="${base}/media/response.css">`));
      assert.ok(html.includes(`<link rel="stylesheet" href="${base}/media/sockets.css">`));
      assert.doesNotMatch(html, /<style|style=/i);
    });

    it('uses a fresh nonce per shell and refuses a nonce that could break out', () => {
      assert.notEqual(cspOf(render(params(entry))), cspOf(render(params(entry))));
      assert.match(render({ ...params(entry), nonce: 'abc-123' }), /nonce="abc-123"/);
      assert.throws(() => render({ ...params(entry), nonce: '"><script>' }));
    });
  });
}

describe('socket panel shells carry no network data', () => {
  it('the transcript shell is static; hostile chunks travel as base64 in the message only', () => {
    const html = renderTranscriptHtml(params('transcript'));
    const msg = transcriptMessage(hostileSocketExchange(), 'T', 1024);
    for (const bad of [XSS_SCRIPT, XSS_IMG, 'onerror', 'alert(1)']) assert.ok(!html.includes(bad));
    const carried = msg.exchange.transcript.map((e) => e.data.base64).join('');
    assert.ok(!carried.includes('<script'), 'chunk data is base64');
  });

  it('frames travel as base64 too', () => {
    const f = logFrame(1, wsFrame('received', 'text', XSS_SCRIPT), 100);
    assert.ok(!JSON.stringify(f.data).includes('<'));
  });

  it('escapes the shell’s attributes and title', () => {
    const html = renderWebviewHtml({ cspSource: 'x', scriptUri: 'a"><b', styleUris: ['c"d'], title: '<t>', nonce: 'n1' });
    assert.ok(html.includes('src="a&quot;&gt;&lt;b"'));
    assert.ok(html.includes('href="c&quot;d"'));
    assert.ok(html.includes('<title>&lt;t&gt;</title>'));
  });
});

describe('transcript panel messages', () => {
  it('accepts what the transcript webview may post, and nothing else', () => {
    for (const m of [{ type: 'ready' }, { type: 'resend' }, { type: 'cancel' }, { type: 'manageTrust' }, { type: 'copy', id: 1, text: 'x' }]) assert.ok(isTranscriptToHost(m), JSON.stringify(m));
    for (const m of [null, [], 'ready', {}, { type: 'saveBody', id: 1 }, { type: 'copy', id: 1 }, { type: 'copy', id: '1', text: 'x' }, { type: 'wsSend', id: 1, format: 'text', data: 'x' }]) {
      assert.ok(!isTranscriptToHost(m), JSON.stringify(m));
    }
  });

  it('checks host messages on the webview side', () => {
    assert.ok(isHostToTranscript(transcriptMessage(hostileSocketExchange(), 't', 1024)));
    assert.ok(isHostToTranscript({ type: 'sending', title: 't', method: 'TCP', url: '127.0.0.1:7000', startedAt: 0 }));
    assert.ok(!isHostToTranscript({ type: 'transcript' }), 'only a type: dropped');
    assert.ok(!isHostToTranscript({ type: 'exchange' }));
    assert.ok(isHostToTranscript({ type: 'refused', title: 't', problems: ['why'], restricted: true }));
    assert.ok(!isHostToTranscript({ type: 'refused', title: 't', problems: [{}], restricted: true }));
    assert.ok(!isHostToTranscript(null));
  });
});

describe('session panel messages', () => {
  it('accepts the session requests with ids and valid fields', () => {
    for (const m of [
      { type: 'ready' },
      { type: 'resend' },
      { type: 'cancel' },
      { type: 'wsSend', id: 1, format: 'text', data: '' },
      { type: 'wsSend', id: 2, format: 'hex', data: '00 ff' },
      { type: 'wsPing', id: 3 },
      { type: 'wsClose', id: 4, code: 1000, reason: '' },
      { type: 'wsOpenFrame', id: 5, seq: 9 },
      { type: 'copy', id: 6, text: 'x' },
    ]) {
      assert.ok(isSessionToHost(m), JSON.stringify(m));
    }
    assert.ok(isSessionRequest({ type: 'wsPing', id: 1 }));
    assert.ok(!isSessionRequest({ type: 'ready' }));
  });

  it('refuses malformed session requests', () => {
    for (const m of [
      { type: 'wsSend', format: 'text', data: 'x' },
      { type: 'wsSend', id: 1, format: 'html', data: 'x' },
      { type: 'wsSend', id: 1, format: 'text', data: 5 },
      { type: 'wsSend', id: 1.5, format: 'text', data: 'x' },
      { type: 'wsPing', id: '1' },
      { type: 'wsClose', id: 1, code: '1000', reason: '' },
      { type: 'wsClose', id: 1, code: 1000.5, reason: '' },
      { type: 'wsClose', id: 1, code: 1000 },
      { type: 'wsClose', id: 1, code: 1000, reason: 'x'.repeat(2000) },
      { type: 'wsOpenFrame', id: 1, seq: 0 },
      { type: 'wsOpenFrame', id: 1 },
      { type: 'openBodyInEditor', id: 1 },
      { type: 'eval', id: 1 },
    ]) {
      assert.ok(!isSessionToHost(m), JSON.stringify(m));
    }
  });

  it('checks host messages on the webview side', () => {
    for (const t of ['wsSession', 'wsUpdate', 'wsFrames', 'reply']) assert.ok(!isHostToSession({ type: t }), `${t} with only a type: dropped (message-guards.test checks the real ones)`);
    assert.ok(isHostToSession({ type: 'reply', id: 1, ok: true }));
    assert.ok(!isHostToSession({ type: 'html' }));
  });
});
