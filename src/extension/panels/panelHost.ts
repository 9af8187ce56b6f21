/**
 * What every block panel (response, transcript, WebSocket session) does the same way: set its static HTML
 * shell, route the webview's messages, post to it, answer its requests with a reply matched by id, reveal
 * without taking focus, and go away together with its WebviewPanel.
 */
import * as vscode from 'vscode';
import type { ReplyMessage } from '../../shared/messages';
import { Disposable } from '../lifecycle';
import type { ActionResult } from './bodyActions';
import type { BlockTarget } from './blockTarget';

export abstract class PanelHost<Out> extends Disposable {
  private readonly disposedEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(
    public target: BlockTarget,
    protected readonly panel: vscode.WebviewPanel,
    html: string,
  ) {
    super();
    panel.webview.html = html;
    this.register(panel.webview.onDidReceiveMessage((m: unknown) => this.onMessage(m)));
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  reveal(): void {
    if (!this.panel.visible) this.panel.reveal(undefined, true);
  }

  /** A message for the webview. Dropped while it is hidden without retained context: it asks again with `ready`. */
  protected post(msg: Out | ReplyMessage): void {
    void this.panel.webview.postMessage(msg);
  }

  /** A message from the webview (not yet checked: every panel validates the shapes it accepts). */
  protected abstract onMessage(m: unknown): void;

  /** Runs a webview request and posts its reply; a thrown error becomes a failed reply in words. */
  protected async reply(id: number, work: () => Promise<ActionResult>): Promise<ActionResult> {
    let result: ActionResult;
    try {
      result = await work();
    } catch (err) {
      result = { ok: false, message: err instanceof Error ? err.message : String(err) };
    }
    this.post({ type: 'reply', id, ok: result.ok, message: result.message });
    return result;
  }

  override dispose(): void {
    if (this.isDisposed) return;
    this.disposedEmitter.fire();
    super.dispose();
    this.panel.dispose();
  }
}
