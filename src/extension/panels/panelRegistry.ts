/**
 * The one panel registry: every NetReq panel type (response, transcript, WebSocket session, traffic) keeps
 * its panels here under a key (a block's key; the traffic panel's one constant), creates a panel when its key
 * has none, reveals the one it has, takes back a panel VS Code restored after a window reload, and forgets a
 * panel when it closes.
 */
import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { panelKey, type BlockTarget } from './blockTarget';

/** What a registry needs of its panels (PanelHost gives all of it). */
export interface RegisteredPanel extends vscode.Disposable {
  readonly onDidDispose: vscode.Event<void>;
  reveal(takeFocus?: boolean): void;
}

export interface PanelKind {
  viewType: string;
  /** Tab title until the panel sets its own. */
  title: string;
  /**
   * Keep the webview alive while hidden (a live session keeps its log and scroll position; the single response
   * panel comes back at once). Asked when a panel is created.
   */
  retainContextWhenHidden: boolean | (() => boolean);
  /** Open in the active column and take the focus (the traffic panel), instead of beside the editor leaving it there. */
  inFront?: boolean;
}

/** Scripts on, resources limited to dist/webview and media (set again on a panel restored after a reload). */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')] };
}

/** A new webview panel of this kind, scripts on, resources limited to dist/webview and media. */
export function createWebviewPanel(kind: PanelKind, extensionUri: vscode.Uri): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(
    kind.viewType,
    kind.title,
    kind.inFront ? { viewColumn: vscode.ViewColumn.Active, preserveFocus: false } : { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    { ...webviewOptions(extensionUri), enableFindWidget: true, retainContextWhenHidden: typeof kind.retainContextWhenHidden === 'function' ? kind.retainContextWhenHidden() : kind.retainContextWhenHidden },
  );
}

/** asWebviewUri for a built webview script (dist/webview/<entry>.js) and its stylesheets (media/<name>.css). */
export function panelResources(webview: vscode.Webview, extensionUri: vscode.Uri, entry: string, styles: readonly string[]): { cspSource: string; scriptUri: string; styleUris: string[] } {
  const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  return { cspSource: webview.cspSource, scriptUri: uri('dist', 'webview', `${entry}.js`), styleUris: styles.map((s) => uri('media', `${s}.css`)) };
}

export class PanelRegistry<K, P extends RegisteredPanel> extends Disposable {
  private readonly panels = new Map<string, P>();

  constructor(
    private readonly kind: PanelKind,
    private readonly extensionUri: vscode.Uri,
    private readonly keyOf: (k: K) => string,
    private readonly create: (k: K, panel: vscode.WebviewPanel) => P,
  ) {
    super();
  }

  get(k: K): P | undefined {
    return this.panels.get(this.keyOf(k));
  }

  /** The panel for this key, created when there is none yet, and brought into view. */
  show(k: K): P {
    const existing = this.get(k);
    if (!existing) return this.attach(k, createWebviewPanel(this.kind, this.extensionUri));
    this.shownAgain(existing, k);
    existing.reveal(this.kind.inFront);
    return existing;
  }

  /** An existing panel is asked to show `k` again (a block panel takes the block's new @name). */
  protected shownAgain(_p: P, _k: K): void {}

  /**
   * A panel VS Code restored after a window reload, back in the registry (the page shows what it saved).
   * A key that already has a panel keeps it: the restored one closes.
   */
  adopt(k: K, panel: vscode.WebviewPanel): P | undefined {
    if (this.panels.has(this.keyOf(k))) {
      panel.dispose();
      return undefined;
    }
    panel.webview.options = webviewOptions(this.extensionUri);
    return this.attach(k, panel);
  }

  /** Registers a new panel; `attached` lets a registry follow it too (the response panels track the last active). */
  private attach(k: K, panel: vscode.WebviewPanel): P {
    const key = this.keyOf(k);
    const created = this.create(k, panel);
    this.panels.set(key, created);
    created.onDidDispose(() => {
      // Under the key it has now (a single panel moves from block to block).
      for (const [k2, p] of this.panels) if (p === created) this.panels.delete(k2);
    });
    this.attached(created);
    return created;
  }

  protected attached(_p: P): void {}

  /** Files a panel under `k` (the single response panel now shows another block). */
  protected rekey(p: P, k: K): void {
    for (const [k2, q] of this.panels) if (q === p) this.panels.delete(k2);
    this.panels.set(this.keyOf(k), p);
  }

  all(): P[] {
    return [...this.panels.values()];
  }

  get count(): number {
    return this.panels.size;
  }

  override dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
    super.dispose();
  }
}

/** A panel of a block: it follows the block's @name, and may be pinned to it. */
export interface BlockPanel extends RegisteredPanel {
  target: BlockTarget;
  /** Kept for its block: the next send of another block does not take it (single mode). */
  pinned: boolean;
}

/**
 * `netreq.response.panel`: `single` (the default) shows every block in one panel that follows the block sent,
 * except blocks whose panel was pinned; `perBlock` keeps one panel per block.
 */
export type PanelMode = 'single' | 'perBlock';

/**
 * The panels of blocks (document + block @name, else index), reused when that block is sent again. In
 * `single` mode a block without a panel of its own takes the unpinned one (it follows the block you sent);
 * in `perBlock` mode it gets a new one.
 */
export class BlockPanels<P extends BlockPanel> extends PanelRegistry<BlockTarget, P> {
  constructor(
    kind: PanelKind,
    extensionUri: vscode.Uri,
    create: (target: BlockTarget, panel: vscode.WebviewPanel) => P,
    private readonly mode: () => PanelMode = () => 'perBlock',
  ) {
    super(kind, extensionUri, panelKey, create);
  }

  /** The panel that follows the block sent (single mode): the first unpinned one. */
  following(): P | undefined {
    return this.mode() === 'single' ? this.all().find((p) => !p.pinned) : undefined;
  }

  override show(target: BlockTarget): P {
    if (this.get(target) || this.mode() !== 'single') return super.show(target);
    const free = this.following();
    if (!free) return super.show(target);
    this.rekey(free, target);
    free.target = target;
    free.reveal(false);
    return free;
  }

  protected override shownAgain(p: P, target: BlockTarget): void {
    p.target = target;
  }

  /** The panel of a block by document and index (whatever its @name). */
  find(uri: vscode.Uri | string, blockIndex: number): P | undefined {
    const u = uri.toString();
    return this.all().find((p) => p.target.uri.toString() === u && p.target.blockIndex === blockIndex);
  }
}
