/**
 * The WebSocket session view's message box: text or hex, Send (Enter), Ping, and Close with a code and a
 * reason, plus the status line where every reply shows. Built once per visit of the Messages tab so typing
 * survives updates; the buttons work only while the session is open. Text nodes only.
 */
import type { SessionRequest, WsInputFormat, WsSessionInfo } from '../../shared/messages';
import { closeReasonProblem, parseCloseCode, parseHexInput } from '../../shared/wsInput';
import type { Builder, DomElement, DomEvent, DomField } from '../dom';
import { modeBar } from '../bodyViews';

/** A request before it gets its id. */
export type NewRequest = SessionRequest extends infer R ? (R extends SessionRequest ? Omit<R, 'id'> : never) : never;

/** What the composer keeps in the page's UI state (across updates and reloads). */
export interface ComposerUi {
  format: WsInputFormat;
  /** What is in the message box. */
  draft: string;
  closeCode: string;
  closeReason: string;
}

/** What the composer needs of its view. */
export interface ComposerHost {
  ui(): ComposerUi;
  /** Changes the UI state; `rerender` rebuilds the tab (the format switch does). */
  setUi(change: Partial<ComposerUi>, rerender?: boolean): void;
  state(): WsSessionInfo['state'] | undefined;
  request(m: NewRequest): void;
}

interface Fields {
  field: DomField;
  codeField: DomField;
  reasonField: DomField;
  status: DomElement;
  buttons: DomElement[];
}

export class Composer {
  private notice?: { ok: boolean; text: string };
  // The fields, while the Messages tab is shown.
  private fields?: Fields;

  constructor(
    private readonly b: Builder,
    private readonly host: ComposerHost,
  ) {}

  /** Whether the message box is on the page. */
  get shown(): boolean {
    return this.fields !== undefined;
  }

  /** A success note is stale once the state moved on past open; a problem stays. */
  stateChanged(state: WsSessionInfo['state']): void {
    if (this.notice?.ok && state !== 'open') this.showNotice(undefined);
  }

  detach(): void {
    this.fields = undefined;
  }

  render(): DomElement {
    const { b, host } = this;
    const ui = host.ui();
    const box = b.el('div', 'composer');
    const top = b.el('div', 'toolbar');
    const hint = ui.format === 'hex' ? 'Hex bytes, e.g. 48 65 6c 6c 6f (whitespace optional) · Enter sends · Shift+Enter: new line' : 'Enter sends · Shift+Enter: new line';
    b.add(
      top,
      modeBar(
        b,
        [
          ['text', 'Text'],
          ['hex', 'Hex'],
        ],
        ui.format,
        (mode) => {
          host.setUi({ format: mode as WsInputFormat });
          this.fields?.field.focus();
        },
      ),
      b.el('span', 'muted composer-hint', hint),
    );
    const field = b.field('textarea', 'composer-input', ui.format === 'hex' ? '48 65 6c 6c 6f' : 'Message text', ui.draft);
    field.setAttribute('rows', '3');
    field.setAttribute('aria-label', ui.format === 'hex' ? 'Binary message as hex' : 'Text message');
    field.addEventListener('input', () => {
      host.setUi({ draft: field.value }, false);
      this.showNotice(undefined);
    });
    field.addEventListener('keydown', (ev: DomEvent) => {
      if (ev.key === 'Enter' && !ev.shiftKey && !ev.isComposing) {
        ev.preventDefault();
        this.sendDraft();
      }
    });
    const codeField = b.field('input', 'close-code', '1000', ui.closeCode);
    codeField.setAttribute('aria-label', 'Close code');
    codeField.setAttribute('size', '5');
    codeField.addEventListener('input', () => host.setUi({ closeCode: codeField.value }, false));
    const reasonField = b.field('input', 'close-reason', 'reason (optional)', ui.closeReason);
    reasonField.setAttribute('aria-label', 'Close reason');
    reasonField.addEventListener('input', () => host.setUi({ closeReason: reasonField.value }, false));
    const send = b.button('Send', () => this.sendDraft(), 'btn btn-primary', 'Send the message (Enter)');
    const ping = b.button('Ping', () => this.ping(), 'btn', 'Send a ping frame');
    const close = b.button('Close', () => this.close(), 'btn', 'Send a close frame with this code and reason');
    const status = b.el('div', 'composer-status');
    status.setAttribute('role', 'status');
    const actions = b.el('div', 'toolbar composer-actions');
    b.add(actions, send, ping, b.el('span', 'spacer'), b.el('span', 'muted', 'Close with code'), codeField, reasonField, close);
    b.add(box, top, field, actions, status);
    this.fields = { field, codeField, reasonField, status, buttons: [send, ping, close] };
    this.sync();
    if (this.notice) this.showNotice(this.notice.ok, this.notice.text);
    return box;
  }

  /** Buttons usable only while open. */
  sync(): void {
    const c = this.fields;
    if (!c) return;
    const open = this.host.state() === 'open';
    for (const btn of c.buttons) {
      if (open) btn.removeAttribute('disabled');
      else btn.setAttribute('disabled', '');
    }
  }

  showNotice(ok: boolean | undefined, text?: string): void {
    this.notice = ok === undefined || text === undefined ? undefined : { ok, text };
    const c = this.fields;
    if (!c) return;
    c.status.textContent = '';
    if (this.notice) {
      c.status.setAttribute('class', `composer-status ${this.notice.ok ? 'good' : 'bad'}`);
      c.status.textContent = this.notice.text;
    }
  }

  private notOpen(): boolean {
    const s = this.host.state();
    if (s === 'open') return false;
    this.showNotice(false, s === 'connecting' ? 'The WebSocket is still connecting.' : `The WebSocket is ${s ?? 'not connected'}; use Connect again for a new session.`);
    return true;
  }

  /** Sends what is in the message box (hex is checked here first, and again on the host). */
  sendDraft(): void {
    const c = this.fields;
    const ui = this.host.ui();
    const data = c ? c.field.value : ui.draft;
    if (ui.format === 'hex') {
      const hex = parseHexInput(data);
      if (!hex.ok) {
        this.showNotice(false, hex.error);
        return;
      }
    }
    if (this.notOpen()) return;
    this.host.request({ type: 'wsSend', format: ui.format, data });
  }

  ping(): void {
    if (this.notOpen()) return;
    this.host.request({ type: 'wsPing' });
  }

  close(): void {
    const c = this.fields;
    const code = parseCloseCode(c ? c.codeField.value : this.host.ui().closeCode);
    if (!code.ok) {
      this.showNotice(false, code.error);
      return;
    }
    const reason = c ? c.reasonField.value : this.host.ui().closeReason;
    const bad = closeReasonProblem(reason);
    if (bad) {
      this.showNotice(false, bad);
      return;
    }
    if (this.notOpen()) return;
    this.host.request({ type: 'wsClose', code: code.code, reason });
  }
}
