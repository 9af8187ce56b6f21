/**
 * One webview panel per block (keyed like the response panels: document + block @name, else index),
 * reused when that block is sent again: the registry the transcript and WebSocket session panels share.
 */
import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { panelKey, type BlockTarget } from './blockTarget';

/** What a registry needs of its panels. */
export interface BlockPanel extends vscode.Disposable {
  target: BlockTarget;
  readonly onDidDispose: vscode.Event<void>;
  reveal(): void;
}

export interface PanelKind {
  viewType: string;
  /** Tab title until the panel sets its own. */
  title: string;
  /** Keep the webview alive while hidden (a live session keeps its log and scroll position). */
  retainContextWhenHidden: boolean;
}

/** Scripts on, resources limited to dist/webview and media (set again on a panel restored after a reload). */
export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist', 'webview'), vscode.Uri.joinPath(extensionUri, 'media')] };
}

/** A webview panel beside the editor, scripts on, resources limited to dist/webview and media. */
export function createBlockWebviewPanel(kind: PanelKind, extensionUri: vscode.Uri): vscode.WebviewPanel {
  return vscode.window.createWebviewPanel(
    kind.viewType,
    kind.title,
    { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
    { ...webviewOptions(extensionUri), enableFindWidget: true, retainContextWhenHidden: kind.retainContextWhenHidden },
  );
}

/** asWebviewUri for a built webview script and the stylesheets every socket panel loads. */
export function panelResources(webview: vscode.Webview, extensionUri: vscode.Uri, entry: string): { cspSource: string; scriptUri: string; styleUris: string[] } {
  const uri = (...p: string[]) => webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, ...p)).toString();
  return {
    cspSource: webview.cspSource,
    scriptUri: uri('dist', 'webview', `${entry}.js`),
    styleUris: [uri('media', 'response.css'), uri('media', 'sockets.css')],
  };
}

export class BlockPanels<P extends BlockPanel> extends Disposable {
  private readonly panels = new Map<string, P>();

  constructor(
    private readonly kind: PanelKind,
    private readonly extensionUri: vscode.Uri,
    private readonly create: (target: BlockTarget, panel: vscode.WebviewPanel) => P,
  ) {
    super();
  }

  get(target: BlockTarget): P | undefined {
    return this.panels.get(panelKey(target));
  }

  /** The panel of a block by document and index (whatever its @name). */
  find(uri: vscode.Uri | string, blockIndex: number): P | undefined {
    const u = uri.toString();
    for (const p of this.panels.values()) if (p.target.uri.toString() === u && p.target.blockIndex === blockIndex) return p;
    return undefined;
  }

  /** The panel for this block, created beside the editor when there is none yet, and brought into view. */
  show(target: BlockTarget): P {
    const key = panelKey(target);
    const existing = this.panels.get(key);
    if (existing) {
      existing.target = target;
      existing.reveal();
      return existing;
    }
    return this.attach(target, createBlockWebviewPanel(this.kind, this.extensionUri));
  }

  /**
   * A panel VS Code restored after a window reload, back in the registry (the page shows what it saved).
   * A block that already has a panel keeps it: the restored one closes.
   */
  adopt(target: BlockTarget, panel: vscode.WebviewPanel): P | undefined {
    if (this.panels.has(panelKey(target))) {
      panel.dispose();
      return undefined;
    }
    panel.webview.options = webviewOptions(this.extensionUri);
    return this.attach(target, panel);
  }

  private attach(target: BlockTarget, panel: vscode.WebviewPanel): P {
    const key = panelKey(target);
    const created = this.create(target, panel);
    this.panels.set(key, created);
    created.onDidDispose(() => {
      if (this.panels.get(key) === created) this.panels.delete(key);
    });
    return created;
  }

  all(): P[] {
    return [...this.panels.values()];
  }

  override dispose(): void {
    for (const p of [...this.panels.values()]) p.dispose();
    this.panels.clear();
    super.dispose();
  }
}
