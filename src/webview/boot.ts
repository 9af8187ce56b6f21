/**
 * The one boot every webview page runs: it acquires the VS Code API once, reads what VS Code saved for the
 * page through the page's own validator, lets only messages that pass the page's type guard reach the view,
 * draws the page, then says `ready` (once) so the host sends the current state. A block panel (response,
 * transcript, WebSocket session) also keeps its state across a window reload, with a note when what it shows
 * is the saved copy (see restore.ts). No globals: the entry points pass `acquireVsCodeApi`, `window` and
 * `document`; the unit tests pass fakes.
 */
import { isPanelTargetMessage, readSavedPanel, type SavedKind, type SavedLast, type SavedPanel } from '../shared/restore';
import { Builder, type DomDocument, type DomElement } from './dom';
import { PanelStateKeeper, restoreNote } from './restore';

type Ready = { type: 'ready' };

/** The part of the VS Code webview API (`acquireVsCodeApi()`) the pages use; `Out` is what the page posts. */
export interface VsCodeApi<Out> {
  postMessage(message: Out | Ready): void;
  getState(): unknown;
  setState(state: unknown): void;
}

/** What the page hears host messages from (the browser's `window`). */
export interface MessageSource {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** A page's view: it shows host messages and draws itself. */
export interface PageView<In> {
  handle(m: In): void;
  render(): void;
}

export interface Page<In, Out, S> {
  /** The page's own check of what VS Code saved for it: anything unexpected gives the defaults. */
  restore(state: unknown): S;
  /** The page's type guard for host messages: anything else is dropped. */
  isMessage(m: unknown): m is In;
  /** Builds the view on the restored state. */
  start(api: VsCodeApi<Out>, restored: S): PageView<In>;
  /** Sees every message before the guard; true when it was for the page itself (not the view). */
  intercept?(m: unknown): boolean;
  /** After the view took a message that passed the guard. */
  handled?(m: In): void;
  /** After the first render, before `ready` (the page shows again what it had saved). */
  started?(): void;
}

/** Boots a page; returns the view (for the tests). */
export function boot<In, Out, S>(acquire: () => VsCodeApi<Out>, source: MessageSource, page: Page<In, Out, S>): PageView<In> {
  const api = acquire();
  const restored = page.restore(api.getState());
  const view = page.start(api, restored);
  source.addEventListener('message', (event) => {
    const m = event.data;
    if (page.intercept?.(m)) return;
    if (!page.isMessage(m)) return;
    view.handle(m);
    page.handled?.(m);
  });
  view.render();
  page.started?.();
  api.postMessage({ type: 'ready' });
  return view;
}

export interface BlockPanelPage<In, Out, Ui> {
  kind: SavedKind;
  /** The page's type guard for host messages. */
  isMessage(m: unknown): m is In;
  /** The page's own check of its saved UI state: anything unexpected gives the defaults. */
  restoreUi(ui: unknown): Ui;
  /** Puts the restore note on the page (in front of the view's root). */
  placeNote(note: DomElement): void;
  /** Batches state saves of a busy page (ms, 0 saves at once). */
  saveDelayMs?: number;
  /** Builds the view: `post` to the host, `onUi` saves a UI state change. */
  create(post: (m: Out) => void, ui: Ui, onUi: (ui: Ui) => void): PageView<In>;
  /** The saved message to show again at start, or undefined when this page does not show it. */
  replay(last: SavedLast): In | undefined;
  /** What to save as the last thing shown after the view took `m`, or undefined to leave it. */
  lastAfter(m: In): (() => SavedLast | undefined) | undefined;
  /** Whether `m` is news from the host, so the restore note no longer holds. */
  endsNote(m: In): boolean;
  /** When the host has nothing live for the panel: a message to show first (a session comes back closed). */
  restoredOnly?(saved: SavedPanel): (In & SavedLast) | undefined;
}

/** Boots a block panel (response, transcript, session): saved state kept and shown again after a reload. */
export function bootBlockPanel<In, Out, Ui>(
  acquire: () => VsCodeApi<Out>,
  source: MessageSource,
  doc: DomDocument,
  page: BlockPanelPage<In, Out, Ui>,
): PageView<In> {
  let keeper: PanelStateKeeper;
  let view: PageView<In>;
  let saved: SavedPanel;
  let note: DomElement | undefined;
  return boot<In, Out, SavedPanel>(acquire, source, {
    // What the page showed before it was reloaded (hidden and shown again, or a window reload): checked, bounded.
    restore: (state) => readSavedPanel(state, page.kind),
    isMessage: page.isMessage,
    start(api, s) {
      saved = s;
      keeper = new PanelStateKeeper(saved, (st) => api.setState(st), page.saveDelayMs ?? 0);
      view = page.create((m) => api.postMessage(m), page.restoreUi(saved.ui), (ui) => keeper.setUi(ui));
      return view;
    },
    intercept(m) {
      if (!isPanelTargetMessage(m)) return false;
      keeper.setTarget(m.target);
      // The host has nothing for this panel (a window reload): what it shows is the saved copy; say so.
      if (!m.live && !note) {
        const shown = page.restoredOnly?.(saved);
        if (shown) {
          view.handle(shown);
          keeper.setLast(() => shown);
        }
        note = restoreNote(new Builder(doc), page.kind, saved);
        if (note) page.placeNote(note);
      }
      return true;
    },
    handled(m) {
      const last = page.lastAfter(m);
      if (last) keeper.setLast(last);
      if (page.endsNote(m)) note?.remove();
    },
    started() {
      const again = saved.last && page.replay(saved.last);
      if (again) view.handle(again);
    },
  });
}

/** A page that shows one send at a time (response, transcript), as its view module describes it. */
export interface SendPanelPage<In, Out, Ui> {
  kind: 'response' | 'transcript';
  /** The type of the page's result message (`exchange`, `transcript`). */
  resultType: string;
  isMessage(m: unknown): m is In;
  /** The page's own check of its saved UI state: anything unexpected gives the defaults. */
  restoreUi(ui: unknown): Ui;
  /** The view class: it draws in `root`, posts with `post`, saves its UI choices with `onUi`. */
  View: new (doc: DomDocument, root: DomElement, post: (m: Out) => void, ui: Ui, onUi: (ui: Ui) => void) => PageView<In>;
}

/**
 * Boots a page that shows one send at a time (response, transcript) in `root`: the saved result or refusal
 * is shown again, and any news but a reply ends the restore note (`placeNote` puts it in front of the root).
 */
export function bootSendPanel<In extends { type: string }, Out, Ui>(
  acquire: () => VsCodeApi<Out>,
  source: MessageSource,
  doc: DomDocument,
  root: DomElement,
  placeNote: (note: DomElement) => void,
  page: SendPanelPage<In, Out, Ui>,
): PageView<In> {
  const shown = (m: { type: string }) => m.type === page.resultType || m.type === 'refused';
  return bootBlockPanel(acquire, source, doc, {
    kind: page.kind,
    isMessage: page.isMessage,
    restoreUi: page.restoreUi,
    placeNote,
    create: (post, ui, onUi) => new page.View(doc, root, post, ui, onUi),
    // The saved message passed the kind's check when it was read (readSavedPanel): it is this page's result or refusal.
    replay: (last) => (shown(last) ? (last as unknown as In) : undefined),
    lastAfter: (m) => (shown(m) ? () => m as unknown as SavedLast : undefined),
    // A reply or a JSON viewer's answer is no news about the exchange.
    endsNote: (m) => m.type !== 'reply' && !m.type.startsWith('json'),
  });
}
