import { strict as assert } from 'node:assert';
import { bodyDocument, extensionForLanguage, languageForMime, toUtf8 } from '../../../src/extension/panels/bodyText';

const utf8 = (b: Uint8Array) => Buffer.from(b).toString('utf8');

describe('body document (what "Open body in editor" shows: netreq-response: files)', () => {
  it('JSON is pretty-printed, by content type or by its look, with the json language', async () => {
    for (const ct of ['application/json; charset=utf-8', 'application/problem+json', 'text/plain', undefined]) {
      const d = await bodyDocument(Buffer.from(`{"a":[1,{"b":null}],"c":"${'x'.repeat(100)}"}`), ct);
      assert.ok(d.kind === 'text' && d.pretty, String(ct));
      if (d.kind === 'text') {
        assert.equal(utf8(d.bytes), `{\n  "a": [1, {"b": null}],\n  "c": "${'x'.repeat(100)}"\n}`);
        assert.equal(d.language, 'json');
        assert.equal(d.note, undefined);
      }
    }
  });

  it('JSON that is not valid is shown as it came, saying where it stops being JSON; a cut one is indented as far as it goes', async () => {
    const bad = await bodyDocument(Buffer.from('{"a":1,}'), 'application/json');
    assert.ok(bad.kind === 'text' && !bad.pretty);
    if (bad.kind === 'text') {
      assert.equal(utf8(bad.bytes), '{"a":1,}');
      assert.equal(bad.note, `shown as it came, not JSON at byte 8: expected a key in quotes, found "}"`);
    }
    const cut = await bodyDocument(Buffer.from('[{"a":1},{"a":"long str'), 'application/json');
    assert.ok(cut.kind === 'text' && cut.pretty);
    if (cut.kind === 'text') {
      assert.equal(utf8(cut.bytes), '[\n  {"a": 1},\n  {\n    "a": "long str');
      assert.equal(cut.note, 'the JSON ends early, where the body was cut');
    }
  });

  it('other text keeps its bytes (a UTF-8 body is not copied) and gets its language; binary is refused', async () => {
    const body = Buffer.from('<p>héllo</p>');
    const d = await bodyDocument(body, 'text/html');
    assert.ok(d.kind === 'text');
    if (d.kind === 'text') {
      assert.equal(d.bytes, body, 'the same bytes, not a copy');
      assert.equal(d.language, 'html');
    }
    assert.deepEqual(await bodyDocument(Buffer.from([0, 1, 2, 0xff]), 'application/octet-stream'), { kind: 'binary', mime: 'application/octet-stream' });
    assert.deepEqual(await bodyDocument(Buffer.from([0x89, 0x50, 0x4e, 0x47]), 'image/png'), { kind: 'binary', mime: 'image/png' });
  });

  it('another charset becomes UTF-8 in slices, a character split between slices kept whole', async () => {
    const latin1 = Buffer.from('caf\xe9 cr\xe8me', 'latin1');
    const d = await bodyDocument(latin1, 'text/plain; charset=iso-8859-1');
    assert.ok(d.kind === 'text' && utf8(d.bytes) === 'café crème');
    const sjis = Buffer.from([0x82, 0xa0, 0x82, 0xa2]); // あい in Shift_JIS, two bytes each
    let pauses = 0;
    const out = await toUtf8(sjis, 'shift_jis', async () => void pauses++, 1);
    assert.equal(utf8(out), 'あい');
    assert.equal(pauses, 3, 'one pause between each of the 4 one-byte slices');
    assert.equal(await toUtf8(sjis, 'no-such-charset'), sjis, 'an unknown charset: the bytes as they came');
  });

  it('language and file extension by content type', () => {
    assert.deepEqual(
      ['application/json', 'application/vnd.api+json', 'application/atom+xml', 'text/css', 'text/csv', 'application/x-unknown'].map(languageForMime),
      ['json', 'json', 'xml', 'css', 'plaintext', 'plaintext'],
    );
    assert.deepEqual(['json', 'xml', 'html', 'plaintext', 'cobol'].map(extensionForLanguage), ['.json', '.xml', '.html', '.txt', '.txt']);
  });
});
