/**
 * Transcript panels: one per block that sends TCP / TLS / QOTD / DAYTIME / ECHO / UDP / MULTICAST,
 * reused when the block is sent again. Like the response panel: a static shell, the state over
 * postMessage after the webview says `ready`.
 */
import * as vscode from 'vscode';
import type { SocketExchange } from '../../core/exchange';
import { isTranscriptToHost, type HostToTranscript, type RefusedMessage, type SendingMessage, type TranscriptMessage } from '../../shared/messages';
import { MANAGE_TRUST_COMMAND } from '../trust';
import type { ActionResult } from './bodyActions';
import { BlockPanels, panelResources, type BlockPanel } from './blockPanels';
import { PanelHost } from './panelHost';
import type { BlockTarget } from './blockTarget';
import { renderTranscriptHtml, transcriptMessage } from './transcriptContent';

export const TRANSCRIPT_VIEW_TYPE = 'netreq.transcript';

export interface TranscriptHandlers {
  resend(target: BlockTarget): void;
  cancel(target: BlockTarget): void;
  copy(text: string): Promise<ActionResult>;
}

export class TranscriptPanel extends PanelHost<HostToTranscript> implements BlockPanel {
  private sending?: SendingMessage;
  private message?: TranscriptMessage;
  private refused?: RefusedMessage;
  private exchange?: SocketExchange;

  constructor(
    target: BlockTarget,
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly handlers: TranscriptHandlers,
  ) {
    super(target, panel, renderTranscriptHtml(panelResources(panel.webview, extensionUri, 'transcript')));
  }

  protected get live(): boolean {
    return !!(this.message || this.refused || this.sending);
  }

  get lastExchange(): SocketExchange | undefined {
    return this.exchange;
  }

  /** What the webview shows (for tests through the extension API). */
  get state(): { sending?: SendingMessage; transcript?: TranscriptMessage; refused?: RefusedMessage } {
    return { sending: this.sending, transcript: this.message, refused: this.refused };
  }

  showSending(msg: SendingMessage): void {
    this.sending = msg;
    this.refused = undefined;
    this.panel.title = `⇄ ${msg.title}`;
    this.post(msg);
  }

  showExchange(x: SocketExchange, title: string, dataLimit: number): void {
    this.sending = undefined;
    this.refused = undefined;
    this.exchange = x;
    this.message = transcriptMessage(x, title, dataLimit);
    this.panel.title = `⇄ ${title}`;
    this.post(this.message);
  }

  /** The block was not sent, and why (e.g. Restricted Mode refused a file or an environment variable). */
  showRefused(msg: RefusedMessage): void {
    this.sending = undefined;
    this.refused = msg;
    this.panel.title = `⇄ ${msg.title}`;
    this.post(msg);
  }

  clearSending(): void {
    if (!this.sending) return;
    this.sending = undefined;
    if (this.message) this.post(this.message);
  }

  protected onMessage(m: unknown): void {
    if (!isTranscriptToHost(m)) return;
    switch (m.type) {
      case 'ready':
        if (this.message) this.post(this.message);
        if (this.refused) this.post(this.refused);
        if (this.sending) this.post(this.sending);
        break;
      case 'manageTrust':
        void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
        break;
      case 'resend':
        this.handlers.resend(this.target);
        break;
      case 'cancel':
        this.handlers.cancel(this.target);
        break;
      case 'copy':
        void this.reply(m.id, () => this.handlers.copy(m.text));
        break;
    }
  }
}

export class TranscriptPanelManager extends BlockPanels<TranscriptPanel> {
  constructor(extensionUri: vscode.Uri, handlers: TranscriptHandlers) {
    super({ viewType: TRANSCRIPT_VIEW_TYPE, title: '⇄ Transcript', retainContextWhenHidden: false }, extensionUri, (target, panel) => new TranscriptPanel(target, panel, extensionUri, handlers));
  }
}
