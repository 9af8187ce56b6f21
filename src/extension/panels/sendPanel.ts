/**
 * A block panel that shows one send at a time (response, transcript): "sending", then the result or the
 * reason it was refused. It keeps the last of each and posts them again when the page says `ready` (the
 * result first, then a refusal, then a send still running, so the page ends in the newest state).
 */
import type * as vscode from 'vscode';
import type { AssertsMessage, RefusedMessage, SendingMessage } from '../../shared/messages';
import { BlockPanelHost, type BlockHandlers, type PageMessage } from './panelHost';
import type { BlockTarget } from './blockTarget';

export interface SendPanelParts<In extends PageMessage> {
  html: string;
  isMessage: (m: unknown) => m is In;
  handlers: BlockHandlers;
  /** Put before the title on the tab (↩ response, ⇄ transcript). */
  titleMark: string;
}

/** `Extra`: other messages the page gets (the response page's JSON viewer answers). */
export abstract class SendPanelHost<Result, X, In extends PageMessage, Extra = never> extends BlockPanelHost<SendingMessage | RefusedMessage | AssertsMessage | Result | Extra, In> {
  protected sending?: SendingMessage;
  protected result?: Result;
  protected refused?: RefusedMessage;
  /** The asserts of the result shown (posted after it). */
  protected asserts?: AssertsMessage;
  private exchange?: X;
  private readonly titleMark: string;

  constructor(target: BlockTarget, panel: vscode.WebviewPanel, parts: SendPanelParts<In>) {
    super(target, panel, parts.html, parts.isMessage, parts.handlers);
    this.titleMark = parts.titleMark;
  }

  protected get live(): boolean {
    return !!(this.result || this.refused || this.sending);
  }

  /** The exchange the panel shows (undefined in a panel restored after a reload, until its next send). */
  get lastExchange(): X | undefined {
    return this.exchange;
  }

  private title = '';

  setTitle(title: string): void {
    this.title = title;
    this.panel.title = `${this.pinned ? '📌 ' : ''}${this.titleMark} ${title}`;
  }

  protected override pinChanged(): void {
    if (this.title) this.setTitle(this.title);
    else this.panel.title = `${this.pinned ? '📌 ' : ''}${this.panel.title.replace(/^📌 /u, '')}`;
  }

  showSending(msg: SendingMessage): void {
    this.sending = msg;
    this.refused = undefined;
    this.setTitle(msg.title);
    this.post(msg);
  }

  /** The bytes received so far by the send under way (the page updates its banner only). */
  showReceived(receivedBytes: number): void {
    if (!this.sending) return;
    this.sending = { ...this.sending, receivedBytes };
    this.post(this.sending);
  }

  /** The send ended with this exchange, shown as `msg`. */
  protected showResult(x: X, msg: Result, title: string): void {
    this.sending = undefined;
    this.refused = undefined;
    this.exchange = x;
    this.result = msg;
    this.asserts = undefined;
    this.setTitle(title);
    this.post(msg);
  }

  /** The block's asserts, checked against the exchange shown (`x`: ignored when the panel moved on to another). */
  showAsserts(x: X, msg: AssertsMessage): void {
    if (this.exchange !== x) return;
    this.asserts = msg;
    this.post(msg);
  }

  /** The asserts shown (for tests through the extension API). */
  get assertsShown(): AssertsMessage | undefined {
    return this.asserts;
  }

  /** The block was not sent, and why (e.g. Restricted Mode refused a file or an environment variable). */
  showRefused(msg: RefusedMessage): void {
    this.sending = undefined;
    this.refused = msg;
    this.setTitle(msg.title);
    this.post(msg);
  }

  /** Ends the "sending" state without a new exchange (e.g. the request could not be resolved). */
  clearSending(): void {
    if (!this.sending) return;
    this.sending = undefined;
    if (this.result) this.post(this.result);
  }

  protected replay(): void {
    if (this.result) this.post(this.result);
    if (this.result && this.asserts) this.post(this.asserts);
    if (this.refused) this.post(this.refused);
    if (this.sending) this.post(this.sending);
  }
}
