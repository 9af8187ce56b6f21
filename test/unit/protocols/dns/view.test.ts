import { strict as assert } from 'node:assert';
import { transcriptMessage } from '../../../../src/extension/panels/transcriptContent';
import { dnsView } from '../../../../src/shared/dns';
import { TranscriptView } from '../../../../src/webview/transcriptView';
import { FakeDocument } from '../../webview/fakeDom';
import { XSS_SCRIPT } from '../../webview/fixtures';
import { assertSafeDom } from '../../webview/safeDom';
import { socketExchange } from '../../webview/socketFixtures';

describe('DNS in the transcript panel (fake DOM)', () => {
  const dns = {
    question: { name: 'example.test', type: 'TXT' },
    server: '127.0.0.1:5353',
    serverFrom: 'directive' as const,
    transport: 'udp' as const,
    id: 4242,
    recursionDesired: true,
    header: { id: 4242, opcode: 'QUERY', qr: true, aa: true, tc: true, rd: true, ra: false, ad: false, cd: false, rcode: 'NOERROR' },
    answers: [{ name: 'example.test', type: 'TXT', class: 'IN', ttl: 60, data: `"${XSS_SCRIPT}"` }],
    authorities: [],
    additionals: [],
    notes: ['The answer was truncated (TC): the server had more than fits in a UDP datagram; add # @tcp to ask over TCP'],
  };

  it('shows the question, the status and flags, the records with TTLs and the notes, as text only', () => {
    const doc = new FakeDocument();
    const root = doc.createElement('div');
    const view = new TranscriptView(doc, root, () => {});
    view.handle(transcriptMessage(socketExchange({ request: { protocol: 'dns', host: '127.0.0.1', port: 5353, target: 'example.test TXT', payloadBytes: 30 }, dns }), 'DNS', 1 << 20));
    const box = root.byClass('dns-summary')[0];
    assert.ok(box, 'a DNS summary');
    assert.ok(box.text.includes('DNS example.test TXT @127.0.0.1:5353 over UDP'), box.text);
    assert.ok(box.text.includes('NOERROR (the server answered) · flags: qr aa tc rd · id 4242'), box.text);
    assert.ok(box.text.includes(`example.test.  60  IN  TXT  "${XSS_SCRIPT}"`), box.text);
    assert.ok(box.text.includes('add # @tcp to ask over TCP'), box.text);
    assertSafeDom(doc);
  });

  it('ignores a dns field that is not the engine’s shape', () => {
    assert.equal(dnsView({ ...dns, answers: [{ name: 1 }] }), undefined);
    assert.equal(dnsView('x'), undefined);
    assert.equal(dnsView(undefined), undefined);
  });
});
