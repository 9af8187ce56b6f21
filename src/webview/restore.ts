/**
 * A block panel page's side of surviving a window reload: it keeps its UI state, its block and the last
 * thing it showed (bounded, see shared/restore) with `setState`, and once reloaded shows that again with a
 * note saying it is a restored copy (and when bytes were cut for the restore). A WebSocket session cannot
 * survive a reload: its log comes back as it was, the session closed. No globals (unit tests use a fake DOM).
 */
import type { WsSessionMessage } from '../shared/messages';
import { formatBytes } from '../common/format';
import { RESTORE_BYTES, savedPanel, type PanelTarget, type SavedKind, type SavedLast, type SavedPanel } from '../shared/restore';
import type { Builder, DomElement } from './dom';

/** Why a restored session is closed, in its close line. */
export const RELOAD_CLOSE_WORDS = 'the window was reloaded, which ends the session';

/** The note above a restored panel, or undefined when nothing was restored and nothing was lost. */
export function restoreNoteText(kind: SavedKind, saved: SavedPanel): string | undefined {
  if (!saved.last) {
    return saved.dropped ? 'Restored after a window reload, without the last exchange (it was too large to keep, or unreadable). Send the block again to see it.' : undefined;
  }
  const what = kind === 'session' ? 'the session’s log as it was' : saved.last.type === 'refused' ? 'why the block was not sent' : 'the last exchange as it was';
  const parts = [`Restored after a window reload: ${what}.`];
  if (kind === 'session') parts.push('The session is closed (a reload ends it): ↻ Connect again sends the block again.');
  if (saved.cut) parts.push(`Bytes past the first ${formatBytes(RESTORE_BYTES)} were not kept for the restore: send the block again for all of it.`);
  return parts.join(' ');
}

/** The note element (class `restore-note`, role status), or undefined. */
export function restoreNote(b: Builder, kind: SavedKind, saved: SavedPanel): DomElement | undefined {
  const text = restoreNoteText(kind, saved);
  if (!text) return undefined;
  const el = b.el('div', 'restore-note muted', text);
  el.setAttribute('role', 'status');
  return el;
}

/** A saved session as it shows once restored: closed, the block's messages no longer going out. */
export function closedSession(m: WsSessionMessage): WsSessionMessage {
  const info = m.info;
  if (info.state === 'closed' && !info.script.running) return m;
  return { ...m, info: { ...info, state: 'closed', script: { ...info.script, running: false }, closeWords: info.state === 'closed' && info.closeWords ? info.closeWords : RELOAD_CLOSE_WORDS } };
}

/** The message a page shows once the host said it has nothing newer (sessions closed), or undefined. */
export function restoredMessage(saved: SavedPanel): SavedLast | undefined {
  const last = saved.last;
  return last?.type === 'wsSession' ? closedSession(last) : last;
}

/**
 * Keeps the page's saved state: the UI state and the target at once, the last message bounded. `delayMs`
 * batches saves of a busy page (a live WebSocket log); 0 saves at once.
 */
export class PanelStateKeeper {
  private ui: unknown;
  private target?: PanelTarget;
  private last?: () => SavedLast | undefined;
  /** The bounded last message, kept until it changes (typing in a field saves the UI state only). */
  private bounded?: Omit<SavedPanel, 'ui' | 'target'>;
  private timer?: ReturnType<typeof setTimeout>;

  constructor(
    saved: SavedPanel,
    private readonly setState: (s: SavedPanel) => void,
    private readonly delayMs = 0,
  ) {
    this.ui = saved.ui;
    this.target = saved.target;
    const last = saved.last;
    this.last = last && (() => last);
  }

  setUi(ui: unknown): void {
    this.ui = ui;
    this.save(true);
  }

  setTarget(t: PanelTarget): void {
    this.target = t;
    this.save(true);
  }

  /** The last message changed: `get` is read when the state is saved. */
  setLast(get: () => SavedLast | undefined): void {
    this.last = get;
    this.bounded = undefined;
    this.save(false);
  }

  private save(now: boolean): void {
    if (now || this.delayMs <= 0) {
      if (this.timer !== undefined) clearTimeout(this.timer);
      this.timer = undefined;
      this.flush();
      return;
    }
    this.timer ??= setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, this.delayMs);
  }

  flush(): void {
    if (!this.bounded) {
      const { last, cut, dropped } = savedPanel(undefined, undefined, this.last?.());
      this.bounded = { last, cut, dropped };
    }
    const out: SavedPanel = { ui: this.ui, target: this.target };
    if (this.bounded.last) out.last = this.bounded.last;
    if (this.bounded.cut) out.cut = true;
    if (this.bounded.dropped) out.dropped = true;
    this.setState(out);
  }
}
