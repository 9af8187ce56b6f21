import { strict as assert } from 'node:assert';
import { exchangeMessage, renderResponseHtml } from '../../../src/extension/panels/responseContent';
import { base64ToBytes } from '../../../src/common/format';
import { hostileExchange, XSS_IMG, XSS_SCRIPT } from './fixtures';

const CSP_SOURCE = 'https://*.vscode-cdn.net';
const params = {
  cspSource: CSP_SOURCE,
  scriptUri: 'https://file%2B.vscode-resource.vscode-cdn.net/ext/dist/webview/response.js',
  styleUri: 'https://file%2B.vscode-resource.vscode-cdn.net/ext/media/response.css',
};

function cspOf(html: string): string {
  const m = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(m, 'has a CSP meta tag');
  return m[1];
}

describe('response panel HTML shell', () => {
  it('has a strict CSP: default-src none, nonce for scripts, no unsafe-*', () => {
    const html = renderResponseHtml(params);
    const csp = cspOf(html);
    const directives = Object.fromEntries(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([k, ...v]) => [k, v]));
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.deepEqual(directives['style-src'], [CSP_SOURCE]);
    assert.deepEqual(directives['img-src'], [CSP_SOURCE, 'data:']);
    assert.deepEqual(directives['font-src'], [CSP_SOURCE]);
    assert.equal(directives['script-src'].length, 1);
    assert.match(directives['script-src'][0], /^'nonce-[A-Za-z0-9+/_-]+=*'$/);
    assert.doesNotMatch(html, /unsafe-inline|unsafe-eval/);
  });

  it('gives the one script tag the nonce of the CSP, and loads script and style from the webview URIs', () => {
    const html = renderResponseHtml(params);
    const nonce = /'nonce-([^']+)'/.exec(cspOf(html))![1];
    const scripts = [...html.matchAll(/<script\b([^>]*)>/g)];
    assert.equal(scripts.length, 1);
    assert.match(scripts[0][1], new RegExp(`nonce="${nonce}"`));
    assert.match(scripts[0][1], new RegExp(`src="${params.scriptUri.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}"`));
    assert.ok(html.includes(`<link rel="stylesheet" href="${params.styleUri}">`));
    // No inline style or inline script content anywhere.
    assert.doesNotMatch(html, /<style|style=/i);
    assert.match(html, /<script [^>]*><\/script>/);
  });

  it('uses a fresh nonce per shell (crypto.randomUUID) unless given one', () => {
    const a = cspOf(renderResponseHtml(params));
    const b = cspOf(renderResponseHtml(params));
    assert.notEqual(a, b);
    assert.match(renderResponseHtml({ ...params, nonce: 'abc-123' }), /nonce="abc-123"/);
    assert.throws(() => renderResponseHtml({ ...params, nonce: '"><script>' }));
  });

  it('contains no network data: a hostile exchange only travels in the message, body as base64', () => {
    const x = hostileExchange();
    const html = renderResponseHtml(params);
    const msg = exchangeMessage(x, 'Hostile', 1024 * 1024, 50 * 1024 * 1024);
    for (const bad of [XSS_SCRIPT, XSS_IMG, 'alert(1)', 'onerror']) assert.ok(!html.includes(bad), `shell must not contain ${bad}`);
    // The body is carried as base64 bytes, never as a string that could be taken for markup.
    assert.ok(!JSON.stringify(msg.exchange.response!.body).includes('<script'));
    assert.equal(Buffer.from(base64ToBytes(msg.exchange.response!.body.base64)).toString(), `${XSS_SCRIPT}${XSS_IMG}`);
    // The message is plain JSON data (what postMessage clones).
    assert.deepEqual(JSON.parse(JSON.stringify(msg)), msg);
  });
});

describe('exchange message', () => {
  it('caps the body at the preview limit and says how big it was', () => {
    const x = hostileExchange();
    const big = Buffer.alloc(3000, 0x61);
    x.response!.body = big;
    x.response!.rawBody = big;
    const msg = exchangeMessage(x, 't', 1000, 5000);
    assert.equal(msg.exchange.response!.body.length, 1000);
    assert.equal(msg.exchange.response!.body.totalLength, 3000);
    assert.equal(msg.previewLimit, 1000);
    assert.equal(msg.maxResponseBytes, 5000);
  });

  it('leaves out the raw (encoded) body but keeps its size', () => {
    const x = hostileExchange();
    x.response!.rawBody = Buffer.alloc(77);
    const msg = exchangeMessage(x, 't', 1000, 5000);
    assert.equal(msg.exchange.response!.rawBody.base64, '');
    assert.equal(msg.exchange.response!.rawBody.totalLength, 77);
  });
});
