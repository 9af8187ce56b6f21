import { strict as assert } from 'node:assert';
import { exchangeMessage } from '../../../src/extension/panels/responseContent';
import { ResponseView } from '../../../src/webview/responseView';
import { FakeDocument } from './fakeDom';
import { exchange, XSS_SCRIPT } from './fixtures';

describe('response view: conversions and the Digest challenge', () => {
  function render(x: ReturnType<typeof exchange>) {
    const doc = new FakeDocument();
    const root = doc.createElement('div');
    const view = new ResponseView(doc, root, () => undefined);
    view.handle(exchangeMessage(x, 'Title', 1024 * 1024, 50 * 1024 * 1024));
    return { root, doc };
  }

  it('lists each conversion and the 401 challenge that came first, as text', () => {
    const first = exchange();
    first.response = { ...first.response!, status: 401, reason: 'Unauthorized', headers: [['WWW-Authenticate', `Digest realm="${XSS_SCRIPT}", nonce="n"`]] };
    const x = exchange({ authChallenge: first });
    x.request = { ...x.request, conversions: ['Authorization: Basic credentials encoded as base64 for user "a"', `GraphQL ${XSS_SCRIPT}`] };
    const { root, doc } = render(x);
    assert.ok(root.text.includes('401 Digest challenge → answered'));
    assert.ok(root.text.includes(`WWW-Authenticate: Digest realm="${XSS_SCRIPT}"`));
    assert.ok(root.text.includes('Not sent exactly as written:'));
    assert.ok(root.text.includes('• Authorization: Basic credentials encoded as base64 for user "a"'));
    assert.ok(root.text.includes(`• GraphQL ${XSS_SCRIPT}`));
    assert.ok(!doc.created.some((e) => e.tag === 'script' || e.tag === 'img'));
  });

  it('shows nothing extra without conversions, and ignores malformed fields', () => {
    const plain = render(exchange()).root.text;
    assert.ok(!plain.includes('Converted'));
    const odd = exchange();
    (odd.request as unknown as { conversions: unknown }).conversions = [1, { a: 1 }];
    assert.ok(!render(odd).root.text.includes('Converted'));
  });
});
