/**
 * What a block panel (response, transcript) knows about its block's last send: the result shown, the send
 * under way, a refusal, and the answer to the page's last request (copy, save…). One place for how the host's
 * messages change it; the views only draw it. No globals.
 */
import type { AssertsMessage, RefusedMessage, ReplyMessage, SendingMessage } from '../shared/messages';
import { formatBytes } from '../common/format';
import { Builder, type DomDocument, type DomElement } from './dom';
import { refusedBanner, sendingBanner } from './parts';

/** The messages every send page posts from its banners. */
type BannerOut = { type: 'cancel' } | { type: 'resend' } | { type: 'manageTrust' };

export class SendState<R> {
  result?: R;
  sending?: SendingMessage;
  refused?: RefusedMessage;
  /** The asserts of the result shown (posted right after it; a new result clears them). */
  asserts?: AssertsMessage;
  reply?: { ok: boolean; text: string };
  private nextId = 1;
  private readonly pending = new Set<number>();

  /** The result came: the send is over, any refusal is old news (the last reply stays). */
  show(result: R): void {
    this.result = result;
    this.sending = undefined;
    this.refused = undefined;
    this.asserts = undefined;
  }

  /** Takes a send, refusal or reply; false when nothing changed (a reply to no request of this page). */
  take(msg: SendingMessage | RefusedMessage | ReplyMessage | AssertsMessage): boolean {
    switch (msg.type) {
      case 'asserts':
        if (!this.result) return false;
        this.asserts = msg;
        return true;
      case 'sending':
        this.sending = msg;
        this.refused = undefined;
        this.reply = undefined;
        return true;
      case 'refused':
        this.refused = msg;
        this.sending = undefined;
        return true;
      case 'reply':
        if (!this.pending.delete(msg.id)) return false;
        this.reply = { ok: msg.ok, text: msg.message ?? (msg.ok ? 'Done.' : 'Failed.') };
        return true;
    }
  }

  /** A new request id; the host's reply with it is shown once. */
  request(): number {
    const id = this.nextId++;
    this.pending.add(id);
    return id;
  }
}

/** What the host sends a send page: the result message of its kind, or a send, refusal or reply. */
type SendPageMessage<R> = R | SendingMessage | RefusedMessage | ReplyMessage | AssertsMessage;

/**
 * The part the response and transcript views share: the DOM builder, the send state, how a host message
 * changes it (then the page is drawn again), and UI choices saved as they change. `resultType` is the type of
 * the page's result message (`exchange`, `transcript`).
 */
export abstract class SendView<R extends { type: string }, Out, Ui> {
  protected readonly b: Builder;
  protected readonly s = new SendState<R>();

  constructor(
    doc: DomDocument,
    protected readonly root: DomElement,
    protected readonly post: (m: Out | BannerOut) => void,
    public ui: Ui,
    private readonly onUiChange: (ui: Ui) => void,
    private readonly resultType: R['type'],
  ) {
    this.b = new Builder(doc);
  }

  /** When this page heard of the send under way. */
  private heardAt?: number;

  handle(msg: SendPageMessage<R>): void {
    // More bytes of the send under way: only the banner's figure changes (no redraw of the page).
    const now = this.s.sending;
    const more = msg.type === 'sending' ? (msg as SendingMessage) : undefined;
    if (more && now && more.startedAt === now.startedAt && more.url === now.url && more.method === now.method) {
      this.s.sending = more;
      if (this.received) this.received.textContent = receivedText(more.receivedBytes);
      return;
    }
    if (msg.type === 'sending') this.heardAt = Date.now();
    if (msg.type === this.resultType) this.s.show(msg as R);
    else if (!this.s.take(msg as SendingMessage | RefusedMessage | ReplyMessage | AssertsMessage)) return;
    this.render();
  }

  protected setUi(change: Partial<Ui>): void {
    this.ui = { ...this.ui, ...change };
    this.onUiChange(this.ui);
    this.render();
  }

  /**
   * Draws what every send page starts with (the sending banner, or a refusal with its buttons) into a fresh
   * `app` element; returns the result and the element it goes in (marked stale while a new send runs), or
   * undefined when there is no result to draw (`waiting` says so when nothing is under way either).
   */
  protected frame(appClass: string, waiting: string): { result: R; content: DomElement } | undefined {
    const { b } = this;
    this.root.textContent = '';
    const app = b.el('div', appClass);
    this.root.appendChild(app);
    const { sending, refused, result } = this.s;
    this.elapsed = undefined;
    this.received = undefined;
    if (sending) {
      const now = Date.now();
      // The host's clock, unless it is off from this page's by more than a minute (then: from now on).
      const since = Math.abs(now - sending.startedAt) < 60_000 ? Math.min(now, sending.startedAt) : (this.heardAt ?? now);
      const el = b.el('span', 'elapsed', elapsedText(now - since));
      el.setAttribute('title', 'Time since the request started');
      this.elapsed = { el, since };
      this.received = b.el('span', 'received', receivedText(sending.receivedBytes));
      app.appendChild(sendingBanner(b, `Sending ${sending.method} ${sending.url} …`, () => this.post({ type: 'cancel' }), b.add(b.el('span', 'progress'), this.received, el)));
    }
    if (refused && !sending) {
      app.appendChild(b.el('div', 'request-line', refused.title));
      app.appendChild(refusedBanner(b, refused, { manageTrust: () => this.post({ type: 'manageTrust' }), resend: () => this.post({ type: 'resend' }) }));
      return undefined;
    }
    if (!result) {
      if (!sending) app.appendChild(b.el('p', 'muted', waiting));
      return undefined;
    }
    const content = b.el('div', sending ? 'exchange stale' : 'exchange');
    app.appendChild(content);
    return { result, content };
  }

  /** The "elapsed" figure of the sending banner, and the time the send started (page clock). */
  private elapsed?: { el: DomElement; since: number };
  /** The banner's "received so far" figure. */
  private received?: DomElement;

  /**
   * Updates the sending banner's elapsed time (the page calls it a few times a second; nothing to do when no
   * send is running). The start is the host's `startedAt`, or when this page heard of the send if the two
   * clocks disagree (a remote window).
   */
  tick(now = Date.now()): void {
    if (!this.elapsed || !this.s.sending) return;
    this.elapsed.el.textContent = elapsedText(now - this.elapsed.since);
  }

  abstract render(): void;
}

/** "1.2 MB received · " while bytes come in (HTTP), else nothing. */
export function receivedText(n: number | undefined): string {
  return n === undefined || n <= 0 ? '' : `${formatBytes(n)} received · `;
}

/** "0.4 s", "12.0 s", "2 min 5 s": the live elapsed time of a send. */
export function elapsedText(ms: number): string {
  const s = Math.max(0, ms) / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  return `${Math.floor(s / 60)} min ${Math.floor(s % 60)} s`;
}
