/**
 * The response page's place for its JSON viewer: one viewer per exchange shown, kept across the page's redraws
 * (a reply, the asserts, a tab switch) so its scroll position, folds, search and fetched lines stay; a new
 * exchange gets a new one and the old one's requests are dropped. A body the page has whole is formatted in
 * the page; a bigger one (the host's `bodyKey`) is read from the host.
 */
import { decodeText, formatBytes } from '../common/format';
import type { JsonViewerAnswer, JsonViewerRequest } from '../shared/bodyMessages';
import type { ExchangeMessage } from '../shared/messages';
import { plainLines } from '../shared/syntax';
import { notice, renderLines, type BodyContent } from './bodyViews';
import type { Builder, DomElement, DomEvent } from './dom';
import { JsonViewer } from './jsonViewer';
import { LocalLineSource, RemoteLineSource } from './lineSource';

const isUtf8 = (charset?: string) => !charset || /^(utf-?8|us-ascii|ascii)$/i.test(charset);

export class JsonViewerSlot {
  private m?: ExchangeMessage;
  private viewer?: JsonViewer;
  private remote?: RemoteLineSource;
  private shown = false;

  constructor(
    private readonly b: Builder,
    private readonly post: (r: JsonViewerRequest) => void,
  ) {}

  /** The viewer in use (tests). */
  get current(): JsonViewer | undefined {
    return this.viewer;
  }

  /** A redraw of the page starts: the viewer is not in it until element() is called. */
  beginRender(): void {
    this.shown = false;
  }

  /** The redraw is done: a viewer put back in the page gets its scroll position again. */
  endRender(): void {
    if (this.shown) this.viewer?.attached();
  }

  /** The viewer's element for this exchange's body (the same one while the exchange is the same). */
  element(m: ExchangeMessage, body: BodyContent): DomElement {
    this.shown = true;
    if (this.m !== m || !this.viewer) {
      this.remote?.close();
      this.m = m;
      const utf8 = isUtf8(body.charset) ? body.bytes : new TextEncoder().encode(decodeText(body.bytes, body.charset));
      const cut = body.total > body.bytes.length;
      this.remote = cut && m.bodyKey ? new RemoteLineSource(m.bodyKey, this.post) : undefined;
      const { b } = this;
      this.viewer = new JsonViewer(b, this.remote ?? new LocalLineSource(utf8), {
        total: body.total,
        preview: this.remote ? utf8 : undefined,
        // Not JSON: the text as it came, saying where it stops being JSON (as before the viewer).
        fallback: (r) => [
          notice(b, 'info', `Shown as text: ${r.error}.${cut ? ` The first ${formatBytes(body.bytes.length)} of ${formatBytes(body.total)}.` : ''}`),
          renderLines(b, plainLines(decodeText(body.bytes, body.charset))),
        ],
      });
    }
    return this.viewer.el;
  }

  /** An answer of the host for the viewer (dropped when it is about another body). */
  take(a: JsonViewerAnswer): void {
    this.remote?.take(a);
  }

  tick(): void {
    if (this.shown) this.viewer?.tick();
  }

  /** Page-wide keys (Ctrl+F, F3) while the viewer is shown; true when taken. */
  key(e: DomEvent): boolean {
    return this.shown && !!this.viewer?.key(e);
  }
}
