/**
 * Transcript panels for blocks that send TCP / TLS / QOTD / DAYTIME / ECHO / UDP / MULTICAST / DNS: one that
 * follows the block sent (single mode, pinned ones stay) or one per block, reused when the block is sent
 * again. Like the response panel: a static shell, the state over postMessage after the webview says `ready`.
 */
import type * as vscode from 'vscode';
import type { SocketExchange } from '../../core/exchange';
import { isTranscriptToHost, type AssertsMessage, type RefusedMessage, type SendingMessage, type TranscriptMessage, type TranscriptToHost } from '../../shared/messages';
import type { ActionResult } from './bodyActions';
import type { BlockTarget } from './blockTarget';
import { BlockPanels, panelResources, type PanelMode } from './panelRegistry';
import type { BlockHandlers } from './panelHost';
import { SendPanelHost } from './sendPanel';
import { renderTranscriptHtml, transcriptMessage } from './transcriptContent';

export const TRANSCRIPT_VIEW_TYPE = 'netreq.transcript';

export interface TranscriptHandlers extends BlockHandlers {
  copy(text: string): Promise<ActionResult>;
}

export class TranscriptPanel extends SendPanelHost<TranscriptMessage, SocketExchange, TranscriptToHost> {
  constructor(
    target: BlockTarget,
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly handlers: TranscriptHandlers,
  ) {
    const html = renderTranscriptHtml(panelResources(panel.webview, extensionUri, 'transcript', ['response', 'sockets']));
    super(target, panel, { html, isMessage: isTranscriptToHost, handlers, titleMark: '⇄' });
  }

  /** What the webview shows (for tests through the extension API). */
  get state(): { sending?: SendingMessage; transcript?: TranscriptMessage; refused?: RefusedMessage; asserts?: AssertsMessage } {
    return { sending: this.sending, transcript: this.result, refused: this.refused, asserts: this.asserts };
  }

  showExchange(x: SocketExchange, title: string, dataLimit: number): void {
    this.showResult(x, transcriptMessage(x, title, dataLimit), title);
  }

  protected onMessage(m: TranscriptToHost): void {
    if (m.type === 'copy') void this.reply(m.id, () => this.handlers.copy(m.text));
  }
}

export class TranscriptPanelManager extends BlockPanels<TranscriptPanel> {
  constructor(extensionUri: vscode.Uri, handlers: TranscriptHandlers, mode: () => PanelMode = () => 'perBlock') {
    super(
      // As the response panels: retained only in single mode (one panel and the pinned ones, bounded by previewBytes).
      { viewType: TRANSCRIPT_VIEW_TYPE, title: '⇄ Transcript', retainContextWhenHidden: () => mode() === 'single' },
      extensionUri,
      (target, panel) => new TranscriptPanel(target, panel, extensionUri, handlers),
      mode,
    );
  }
}
