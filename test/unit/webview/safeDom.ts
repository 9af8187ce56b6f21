/** The check every view test makes: only safe tags and attributes, and nothing in them from the data. */
import { strict as assert } from 'node:assert';
import type { FakeDocument } from './fakeDom';

export const SAFE_TAGS = new Set(['div', 'span', 'p', 'pre', 'button', 'table', 'tbody', 'tr', 'th', 'td', 'h3', 'svg', 'rect', 'textarea', 'input', 'ul', 'li']);
export const SAFE_ATTRS = new Set([
  'class',
  'type',
  'title',
  'role',
  'aria-selected',
  'aria-pressed',
  'aria-label',
  'width',
  'height',
  'x',
  'y',
  'placeholder',
  'spellcheck',
  'rows',
  'size',
  'tabindex',
  'disabled',
]);

/** Every element the view made is a safe tag with safe attributes; classes never come from data. */
export function assertSafeDom(doc: FakeDocument): void {
  for (const e of doc.created) {
    assert.ok(SAFE_TAGS.has(e.tag), `unexpected element <${e.tag}>`);
    for (const name of e.attrs.keys()) {
      assert.ok(SAFE_ATTRS.has(name), `unexpected attribute ${name}`);
      assert.ok(!/^on/i.test(name));
    }
    assert.ok(!(e.attrs.get('class') ?? '').includes('<'), 'classes never come from data');
    assert.ok(!(e.attrs.get('title') ?? '').includes('<'), 'titles never come from data');
  }
}
