import { strict as assert } from 'node:assert';
import { isHostToWebview, isWebviewRequest, isWebviewToHost } from '../../../src/shared/messages';

describe('host <-> webview messages', () => {
  it('accepts the webview messages the host handles', () => {
    for (const m of [{ type: 'ready' }, { type: 'resend' }, { type: 'cancel' }, { type: 'manageTrust' }, { type: 'openBodyInEditor', id: 1 }, { type: 'saveBody', id: 2 }, { type: 'copy', id: 3, text: 'x' }]) {
      assert.ok(isWebviewToHost(m), JSON.stringify(m));
    }
  });

  it('refuses anything else from the webview', () => {
    for (const m of [null, 'ready', {}, { type: 'eval' }, { type: 'saveBody' }, { type: 'saveBody', id: '1' }, { type: 'saveBody', id: 1.5 }, { type: 'copy', id: 1 }, { type: 'copy', id: 1, text: 5 }]) {
      assert.ok(!isWebviewToHost(m), JSON.stringify(m));
    }
  });

  it('tells requests (which get a reply) from notifications', () => {
    assert.ok(isWebviewRequest({ type: 'saveBody', id: 1 }));
    assert.ok(!isWebviewRequest({ type: 'ready' }));
  });

  it('checks host messages on the webview side', () => {
    assert.ok(isHostToWebview({ type: 'reply', id: 1, ok: true }));
    assert.ok(!isHostToWebview({ type: 'html', html: '<b>' }));
    assert.ok(!isHostToWebview(undefined));
    assert.ok(isHostToWebview({ type: 'refused', title: 't', problems: ['why'], restricted: true }));
    for (const bad of [{ type: 'refused', title: 't', problems: 'why', restricted: true }, { type: 'refused', title: 't', problems: [1], restricted: true }, { type: 'refused', problems: [], restricted: false }, { type: 'refused', title: 't', problems: [] }]) {
      assert.ok(!isHostToWebview(bad), JSON.stringify(bad));
    }
  });
});
