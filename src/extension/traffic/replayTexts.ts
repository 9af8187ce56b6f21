/**
 * The texts behind the traffic view's "Open as .netreq" documents, by path: the last MAX_REPLAYS opened
 * (a tab restored after that, or after a window reload, says it is no longer kept instead of showing
 * another text). Plain TypeScript (no `vscode`).
 */

export const REPLAY_SCHEME = 'netreq-replay';
/** Replay documents whose text is kept (each is at most the request head and the proxy's 64 KB body preview). */
export const MAX_REPLAYS = 50;

export const GONE_TEXT =
  '# This document is no longer kept: NetReq keeps the last 50 opened in this window.\n# Open it again where it came from (the traffic view: select the row → Open as .netreq; the Health view: Open as Request).\n';

export class ReplayTexts {
  private readonly texts = new Map<string, string>();
  /** A new number each window (a restored tab from an earlier window never gets a new flow's text). */
  private readonly session: string;

  constructor(session = Date.now().toString(36)) {
    this.session = session;
  }

  /** The document path for a row ("flow-12" → "/w1k2x/flow-12.netreq"), its text kept. */
  put(name: string, text: string): string {
    const safe = name.replace(/[^A-Za-z0-9._-]/g, '_').slice(0, 80) || 'replay';
    const path = `/${this.session}/${safe}.netreq`;
    this.texts.delete(path);
    this.texts.set(path, text);
    while (this.texts.size > MAX_REPLAYS) this.texts.delete(this.texts.keys().next().value as string);
    return path;
  }

  get(path: string): string | undefined {
    return this.texts.get(path);
  }

  get size(): number {
    return this.texts.size;
  }

  /** The file name a "Save As…" proposes ("flow-12.netreq"). */
  static fileName(path: string): string {
    return path.slice(path.lastIndexOf('/') + 1) || 'replay.netreq';
  }
}
