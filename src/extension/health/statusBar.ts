/**
 * The status-bar item: `$(pulse) 5/6` (healthy of all checks), red when a check is unhealthy, yellow when
 * one is degraded, a tooltip listing the failing checks with their errors; a click shows the view.
 * Hidden while there are no checks unless `netreq.health.statusBar` is "always".
 */
import * as vscode from 'vscode';
import { Disposable } from '../lifecycle';
import { VIEW_ID, type HealthController } from './controller';
import type { StatusBarView } from './format';

export class HealthStatusBar extends Disposable {
  private readonly item: vscode.StatusBarItem;
  private view?: StatusBarView;

  constructor(private readonly controller: HealthController) {
    super();
    this.item = this.register(vscode.window.createStatusBarItem('netreq.health', vscode.StatusBarAlignment.Left, 50));
    this.item.name = 'NetReq Network Health';
    this.item.command = { command: `${VIEW_ID}.focus`, title: 'Show Network Health' };
    this.register(controller.onDidChange(() => this.update()));
    this.update();
  }

  /** What the item shows now (undefined text when hidden), for the API. */
  get current(): StatusBarView | undefined {
    return this.view;
  }

  update(): void {
    if (this.isDisposed) return;
    const v = this.controller.statusBar();
    this.view = v;
    this.item.text = v.text;
    this.item.backgroundColor = v.background ? new vscode.ThemeColor(v.background) : undefined;
    const md = new vscode.MarkdownString(v.tooltip);
    md.isTrusted = false;
    md.supportHtml = false;
    this.item.tooltip = md;
    this.item.accessibilityInformation = { label: v.tooltip.split('\n')[0].replace(/\\/g, ''), role: 'button' };
    if (v.visible) this.item.show();
    else this.item.hide();
  }
}
