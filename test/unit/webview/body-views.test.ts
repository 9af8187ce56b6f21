// The body view registry on the fake DOM: which view takes which content, how a page picks one by mode,
// and that every view renders hostile bodies as text nodes only (an image only as an allow-listed data: URL).
import { strict as assert } from 'node:assert';
import { BODY_VIEWS, bodyContent, modesOf, pickView, viewsFor, type BodyViewId } from '../../../src/webview/bodyViews';
import { Builder } from '../../../src/webview/dom';
import { RESPONSE_BODY_VIEWS } from '../../../src/webview/tabs';
import { TRAFFIC_BODY_VIEWS } from '../../../src/webview/trafficDetail';
import { FakeDocument } from './fakeDom';
import { XSS_IMG, XSS_SCRIPT } from './fixtures';
import { assertSafeDom } from './safeDom';

const bytes = (s: string | Buffer) => new Uint8Array(typeof s === 'string' ? Buffer.from(s) : s);
/** A 1×1 PNG. */
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==', 'base64');
const ALL: BodyViewId[] = BODY_VIEWS.map((v) => v.id);

function render(id: BodyViewId, c: ReturnType<typeof bodyContent>) {
  const doc = new FakeDocument();
  const b = new Builder(doc);
  const root = doc.createElement('div');
  const view = BODY_VIEWS.find((v) => v.id === id)!;
  for (const e of view.render(b, c)) root.appendChild(e);
  return { doc, root };
}

describe('body views (one registry for the response panel and the traffic detail, fake DOM)', () => {
  it('each view says which content it takes', () => {
    const takers = (body: string | Buffer, ct?: string) => viewsFor(bodyContent(bytes(body), ct), ALL).map((v) => v.id);
    assert.deepEqual(takers('{"a":1}', 'application/json'), ['json', 'text', 'raw', 'hex']);
    assert.deepEqual(takers('{"a":1}'), ['json', 'text', 'raw', 'hex'], 'JSON sniffed without a content type');
    assert.deepEqual(takers('<a/>', 'application/xml'), ['markup', 'text', 'raw', 'hex']);
    assert.deepEqual(takers('<p>x</p>', 'text/html; charset=utf-8'), ['markup', 'text', 'raw', 'hex']);
    assert.deepEqual(takers(PNG, 'image/png'), ['image', 'text', 'raw', 'hex']);
    assert.deepEqual(takers('hello', 'text/plain'), ['text', 'raw', 'hex']);
    assert.deepEqual(takers(Buffer.from([0, 1, 2, 0xff, 0xfe, 0])), ['text', 'raw', 'hex']);
    assert.deepEqual(takers(''), [], 'an empty body has no view');
  });

  it('a page picks by mode among the views it offers, else the first that takes the body, hex for binary', () => {
    const json = bodyContent(bytes('{"a":1}'), 'application/json');
    assert.equal(pickView(json, RESPONSE_BODY_VIEWS, 'auto')?.id, 'json');
    assert.equal(pickView(json, RESPONSE_BODY_VIEWS, 'text')?.id, 'text');
    assert.equal(pickView(json, TRAFFIC_BODY_VIEWS, 'text')?.id, 'raw', 'the traffic detail shows text with its controls');
    assert.equal(pickView(json, RESPONSE_BODY_VIEWS, 'hex')?.id, 'hex');
    const plain = bodyContent(bytes('hello'), 'text/plain');
    assert.equal(pickView(plain, RESPONSE_BODY_VIEWS, 'pretty')?.id, 'text', 'a mode no view of this body answers to falls back');
    const binary = bodyContent(bytes(Buffer.from([0, 1, 2, 0xff, 0xfe, 0])), 'application/octet-stream');
    assert.equal(pickView(binary, RESPONSE_BODY_VIEWS, 'auto')?.id, 'hex');
    assert.equal(pickView(bodyContent(bytes(''), 'text/plain'), RESPONSE_BODY_VIEWS, 'auto'), undefined);
    assert.deepEqual(modesOf(viewsFor(bodyContent(bytes(PNG), 'image/png'), RESPONSE_BODY_VIEWS)), [
      ['pretty', 'Image'],
      ['text', 'Text'],
      ['hex', 'Hex'],
    ]);
  });

  it('JSON is pretty-printed in colored spans; invalid or cut JSON says so and shows the text', () => {
    const { root } = render('json', bodyContent(bytes('{"a":[1,true]}'), 'application/json'));
    assert.equal(root.text, '{\n  "a": [\n    1,\n    true\n  ]\n}');
    assert.ok(root.byClass('tok-key').length > 0);
    assert.match(render('json', bodyContent(bytes('{"a":'), 'application/json')).root.text, /^Shown as text: the JSON ends early\.\{"a":$/);
    assert.match(render('json', bodyContent(bytes('{"a" 1}'), 'application/json')).root.text, /^Shown as text: not JSON at byte 6: expected ':' after a key, found "1"\./);
  });

  it('a cut JSON preview is indented as far as it goes, saying how much of the body it is', () => {
    const whole = JSON.stringify({ items: [{ id: 1, name: 'a' }, { id: 2, name: 'b' }] });
    const { root } = render('json', bodyContent(bytes(whole.slice(0, 33)), 'application/json', 5 * 1024 * 1024));
    assert.match(root.text, /^The first 33 B of 5 MB, indented; Open body in editor shows all of it\./);
    const pre = root.find((e) => e.tag === 'pre')!;
    assert.equal(pre.text, '{\n  "items": [\n    {"id": 1, "name": "a"},\n    {\n      "i');
  });

  it('text keeps the characters, raw shows controls as named badges (every font has the letters), hex shows offsets and bytes', () => {
    const c = bodyContent(bytes('a\tb\r\nc\u001b'), 'text/plain');
    assert.equal(render('text', c).root.text, 'a\tb\nc\u001b', 'lines as lines');
    const raw = render('raw', c).root;
    assert.equal(raw.text, 'aTABbCRLFcESC');
    const badges = raw.byClass('ctl-badge');
    assert.deepEqual(badges.map((e) => [e.text, e.attrs.get('title'), e.classes.includes('raw-eol') ? 'eol' : 'ctl']), [
      ['TAB', '␉ TAB', 'ctl'],
      ['CR', '␍ CR', 'eol'],
      ['LF', '␊ LF', 'eol'],
      ['ESC', '␛ ESC', 'ctl'],
    ]);
    assert.ok(!/[\u2400-\u2421]/.test(raw.text), 'no Control Picture is drawn as text');
    assert.match(render('hex', c).root.text, /^00000000 {2}61 09 62 0d 0a 63 1b/);
  });

  it('an image is an img with a data: URL of its allow-listed type; a cut one or another type is not shown', () => {
    const { root, doc } = render('image', bodyContent(bytes(PNG), 'image/png'));
    const img = root.find((e) => e.tag === 'img');
    assert.equal(img?.attrs.get('src'), `data:image/png;base64,${PNG.toString('base64')}`);
    assert.equal(img?.attrs.get('alt'), `image/png image, 1 × 1 pixels, ${PNG.length} B`);
    assert.ok(doc.created.every((e) => e.tag !== 'script'));
    const cut = render('image', bodyContent(bytes(PNG), 'image/png', 1000, 'the proxy keeps the start of each body for this view.'));
    assert.equal(cut.root.find((e) => e.tag === 'img'), undefined);
    assert.match(cut.root.text, /The image is larger than the preview; the proxy keeps the start/);
    const other = bodyContent(bytes(PNG), 'image/x-unknown');
    assert.ok(!viewsFor(other, ALL).some((v) => v.id === 'image'), 'a type off the allow-list is not an image');
  });

  it('an image is drawn at its natural size with its dimensions; Fit, 100%, − and + zoom it by attributes (no inline style)', () => {
    // A 640 × 480 PNG header (the view reads the size from IHDR, it does not decode the image).
    const png = Buffer.concat([Buffer.from('89504e470d0a1a0a0000000d49484452', 'hex'), Buffer.from([0, 0, 2, 0x80, 0, 0, 1, 0xe0]), Buffer.alloc(20)]);
    const { root } = render('image', bodyContent(png, 'image/png'));
    const img = root.find((e) => e.tag === 'img')!;
    const size = () => [img.attrs.get('width'), img.attrs.get('height'), root.byClass('image-zoom')[0].text];
    assert.ok(root.text.startsWith('640 × 480 px'));
    assert.deepEqual(size(), ['640', '480', '100%']);
    root.button('+')!.click();
    assert.deepEqual(size(), ['960', '720', '150%']);
    root.button('−')!.click();
    root.button('−')!.click();
    assert.deepEqual(size(), ['480', '360', '75%']);
    for (let i = 0; i < 20; i++) root.button('−')!.click();
    assert.deepEqual(size(), ['64', '48', '10%'], 'stops at the smallest step');
    root.button('Fit')!.click();
    assert.deepEqual(size(), [undefined, undefined, 'fit']);
    assert.ok(img.classes.includes('fit'));
    root.button('100%')!.click();
    assert.deepEqual(size(), ['640', '480', '100%']);
    assert.ok(!img.classes.includes('fit'));
    assert.ok(!img.attrs.has('style'));
    const unknown = render('image', bodyContent(Buffer.from('GIF8'), 'image/gif')).root;
    assert.ok(unknown.text.startsWith('size unknown'));
  });

  it('every view renders hostile bodies as text nodes only: no script, handler or markup from the data', () => {
    const hostile = `${XSS_SCRIPT}${XSS_IMG}<?xml version="1.0"?><a onclick="x">&amp;</a>{"k":"${XSS_SCRIPT}"}`;
    for (const ct of ['application/json', 'text/html', 'application/xml', 'text/plain', 'application/octet-stream', undefined]) {
      const c = bodyContent(bytes(hostile), ct);
      for (const v of viewsFor(c, ALL)) {
        const { doc, root } = render(v.id, c);
        assertSafeDom(doc);
        if (v.id !== 'hex') assert.match(root.text.replace(/\s+/g, ''), /<script>alert\(1\)<\/script>/, `${v.id} (${ct ?? 'no type'}) shows the markup as text`);
      }
    }
  });
});
