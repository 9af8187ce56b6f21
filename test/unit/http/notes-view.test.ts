/** The words about limits and odd framing reach the panel: a real exchange from a hostile loopback peer, rendered in the fake DOM. */
import { strict as assert } from 'node:assert';
import { HttpClient } from '../../../src/core/http/client';
import { ConnectionPool } from '../../../src/core/transport/pool';
import { exchangeMessage } from '../../../src/extension/panels/responseContent';
import type { WebviewToHost } from '../../../src/shared/messages';
import { ResponseView } from '../../../src/webview/responseView';
import { FakeDocument, type FakeElement } from '../webview/fakeDom';
import { httpSpec, rawServer, type RawServer } from '../../support/servers';

function tab(root: FakeElement, label: string): void {
  const t = root.find((e) => e.tag === 'button' && e.attrs.get('role') === 'tab' && e.text === label);
  assert.ok(t, `tab ${label}`);
  t.click();
}

describe('response panel shows the notes of a hostile response', () => {
  let pool: ConnectionPool;
  let server: RawServer | undefined;
  afterEach(async () => {
    pool.dispose();
    await server?.close();
  });

  it('interim and trailers counted, CR replaced, bytes after the response: on the Body and Headers tabs', async () => {
    pool = new ConnectionPool();
    const hints = 'HTTP/1.0 103 Early Hints\r\nLink: </a.css>\r\n\r\n'.repeat(20);
    const trailers = Array.from({ length: 103 }, (_, i) => `X-T${i}: ${i}\r\n`).join('');
    server = await rawServer((s) => s.write(`${hints}HTTP/1.1 200 OK\r\nX-A: one\rX-B: two\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nok\r\n0\r\n${trailers}\r\nEXTRA`));
    const x = await new HttpClient({ pool }).send(httpSpec(server.port));
    assert.equal(x.error, undefined, x.error?.message);
    const doc = new FakeDocument();
    const root = doc.createElement('div');
    const view = new ResponseView(doc, root, (_m: WebviewToHost) => undefined);
    view.handle(exchangeMessage(x, 'Title', 1024 * 1024, 50 * 1024 * 1024));
    const body = root.text;
    for (const words of [
      'The server sent 20 interim (1xx) responses; the first 16 are kept, 4 more were counted, not kept',
      '1 field value (X-A) contained CR or NUL, which RFC 9110 §5.5 forbids; each such byte was replaced with a space',
      'The server sent 103 trailer fields; the first 100 are kept, 3 more were counted, not kept',
      '5 bytes after the response were ignored',
    ]) {
      assert.ok(body.includes(words), `Body tab lacks: ${words}\n${body}`);
    }
    tab(root, 'Headers');
    assert.ok(root.text.includes('Interim response 16 · HTTP/1.0 103 Early Hints'), root.text);
    assert.ok(root.text.includes('… 4 more interim responses were counted, not kept'));
    assert.ok(root.text.includes('… 3 more trailer fields were counted, not kept'));
  });
});
