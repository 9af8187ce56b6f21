/**
 * The one host every NetReq panel (response, transcript, WebSocket session, traffic) runs on: it sets the
 * static HTML shell, checks every webview message with the page's guard before anything reads it, routes
 * `ready` to the panel's replay of what it shows (a page is rebuilt each time it becomes visible again),
 * posts to the page, answers its requests with a reply matched by id, reveals, and goes away together with
 * its WebviewPanel. BlockPanelHost adds what the panels of a block share: the block (told to the page, which
 * keeps it for a restore after a window reload) and the Send again / Cancel / Manage trust buttons.
 */
import * as vscode from 'vscode';
import type { ReplyMessage } from '../../shared/messages';
import type { PanelTargetMessage } from '../../shared/restore';
import { Disposable } from '../lifecycle';
import { MANAGE_TRUST_COMMAND } from '../trust';
import type { ActionResult } from './bodyActions';
import type { BlockTarget } from './blockTarget';

/** Every page-to-host message has a type; the guard of each page says which ones it may send. */
export interface PageMessage {
  type: string;
}

export abstract class PanelHost<Out, In extends PageMessage> extends Disposable {
  private readonly disposedEmitter = this.register(new vscode.EventEmitter<void>());
  readonly onDidDispose = this.disposedEmitter.event;

  constructor(
    protected readonly panel: vscode.WebviewPanel,
    html: string,
    private readonly isMessage: (m: unknown) => m is In,
  ) {
    super();
    panel.webview.html = html;
    this.register(panel.webview.onDidReceiveMessage((m: unknown) => this.receive(m)));
    this.register(panel.onDidDispose(() => this.dispose()));
  }

  /** A message as the page posts it (also what tests feed): dropped unless the page's guard accepts it. */
  receive(m: unknown): void {
    if (this.isMessage(m)) this.route(m);
  }

  /** `ready` replays what the panel shows; anything else goes to the panel. */
  protected route(m: In): void {
    if (m.type === 'ready') this.replay();
    else this.onMessage(m);
  }

  /** Posts again what the page shows (it said `ready`: it was loaded, reloaded or shown again). */
  protected abstract replay(): void;

  /** A checked message other than `ready`. */
  protected abstract onMessage(m: In): void;

  get visible(): boolean {
    return this.panel.visible;
  }

  /** Brings the panel into view: taking the focus, or (the default) only when hidden and leaving the focus where it is. */
  reveal(takeFocus = false): void {
    if (takeFocus) this.panel.reveal(undefined, false);
    else if (!this.panel.visible) this.panel.reveal(undefined, true);
  }

  /** A message for the webview. Dropped while it is hidden without retained context: it asks again with `ready`. */
  protected post(msg: Out | ReplyMessage): void {
    void this.panel.webview.postMessage(msg);
  }

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

/** What the buttons every block page has (Send again, Cancel) ask of the rest of the extension. */
export interface BlockHandlers {
  resend(target: BlockTarget): void;
  cancel(target: BlockTarget): void;
}

/** The block-routed messages: handled here once for every block panel. */
const BLOCK_MESSAGES = new Set(['resend', 'cancel', 'manageTrust']);

export abstract class BlockPanelHost<Out, In extends PageMessage> extends PanelHost<Out | PanelTargetMessage, In> {
  constructor(
    private blockTarget: BlockTarget,
    panel: vscode.WebviewPanel,
    html: string,
    isMessage: (m: unknown) => m is In,
    private readonly blockHandlers: BlockHandlers,
  ) {
    super(panel, html, isMessage);
  }

  private isPinned = false;

  get target(): BlockTarget {
    return this.blockTarget;
  }

  /** Pinned: the panel stays with its block (the next send of another block opens or uses another panel). */
  get pinned(): boolean {
    return this.isPinned;
  }

  set pinned(on: boolean) {
    if (on === this.isPinned) return;
    this.isPinned = on;
    this.pinChanged();
  }

  /** The pin changed (a send panel marks its tab title). */
  protected pinChanged(): void {}

  /** Whether this is the focused editor (the Pin / Unpin commands act on it). */
  get active(): boolean {
    return this.panel.active;
  }

  /** The block this panel shows (its @name may have changed): the page keeps it for a restore. */
  set target(t: BlockTarget) {
    const changed = t.uri.toString() !== this.blockTarget.uri.toString() || t.blockIndex !== this.blockTarget.blockIndex || t.blockName !== this.blockTarget.blockName;
    this.blockTarget = t;
    if (changed) this.postTarget();
  }

  /** Whether the panel has something to show (false for a panel restored after a window reload, until its next send). */
  protected abstract get live(): boolean;

  private postTarget(): void {
    const t = this.blockTarget;
    const target = t.blockName ? { uri: t.uri.toString(), blockIndex: t.blockIndex, blockName: t.blockName } : { uri: t.uri.toString(), blockIndex: t.blockIndex };
    this.post({ type: 'panelTarget', target, live: this.live });
  }

  protected override route(m: In): void {
    // Every page learns its block first, then gets what the panel shows.
    if (m.type === 'ready') this.postTarget();
    if (!BLOCK_MESSAGES.has(m.type)) return super.route(m);
    if (m.type === 'resend') this.blockHandlers.resend(this.target);
    else if (m.type === 'cancel') this.blockHandlers.cancel(this.target);
    else void vscode.commands.executeCommand(MANAGE_TRUST_COMMAND);
  }
}
