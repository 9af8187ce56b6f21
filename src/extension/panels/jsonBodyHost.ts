/**
 * The host side of the response panel's JSON viewer: for the exchange the panel shows, the whole decoded body
 * formatted once (the sliced re-indenter) and indexed as lines (sliced too), then the page's requests answered:
 * how many lines, lines [from, from + count), and a search. Every pass yields to the event loop between steps
 * of about a megabyte, so a 50 MB body never blocks the extension host for long. Holds one body at a time:
 * what it holds is dropped when the panel shows another exchange or goes away. No `vscode` import: unit tests
 * drive it in plain Node.
 */
import { randomUUID } from 'node:crypto';
import { classifyBody, parseContentType } from '../../common/format';
import { innerBlocks, LineIndexer, LineSearcher, readLines, runSteps, DEFAULT_STEP_BYTES, type LineIndex, type StepOptions } from '../../common/jsonLines';
import { prettyJsonAsync } from '../../common/prettyJson';
import type { JsonViewerAnswer, JsonViewerRequest } from '../../shared/bodyMessages';
import { toUtf8 } from './bodyText';

type Prepared = { ok: true; index: LineIndex; complete: boolean } | { ok: false; error: string };

export interface JsonBodyOptions {
  /** Bytes per step of each pass (default DEFAULT_STEP_BYTES). */
  step?: number;
  /** Between steps (default: the next turn of the event loop). */
  pause?: () => Promise<void>;
  /** Told each step's size (tests check the bound). */
  onStep?: (bytes: number) => void;
}

const NOT_KEPT = 'The body is no longer kept (the panel shows another exchange, or the window was reloaded): ↻ Send again to see all of it.';

export class JsonBodyHost {
  private key?: string;
  private body?: Uint8Array;
  private contentType?: string;
  private prepared?: Promise<Prepared>;
  /** Bumped by each search and each new body: an older search stops at its next step. */
  private searchGen = 0;

  constructor(private readonly opts: JsonBodyOptions = {}) {}

  /**
   * The panel shows a new exchange: drops the old body's state and keeps this one's body. Returns the key the
   * page asks with (undefined without a body). `eager`: start formatting now (a JSON body the page will ask
   * for, because it has only a preview of it), so its lines are ready sooner.
   */
  show(body: Uint8Array | undefined, contentType: string | undefined, eager = false): string | undefined {
    this.clear();
    if (!body || body.length === 0) return undefined;
    this.key = randomUUID();
    this.body = body;
    this.contentType = contentType;
    if (eager && isJsonBody(body, contentType)) void this.prepare();
    return this.key;
  }

  /** Drops everything held (the panel shows another exchange, or is disposed). */
  clear(): void {
    this.key = undefined;
    this.body = undefined;
    this.prepared = undefined;
    this.searchGen++;
  }

  /** Whether a formatted index is held (tests). */
  get holds(): boolean {
    return this.prepared !== undefined;
  }

  private steps(stillThis: () => boolean): StepOptions {
    return { budget: this.opts.step ?? DEFAULT_STEP_BYTES, pause: this.opts.pause, onStep: this.opts.onStep, cancelled: () => !stillThis() };
  }

  private prepare(): Promise<Prepared> {
    if (this.prepared) return this.prepared;
    const key = this.key;
    const body = this.body ?? new Uint8Array(0);
    const stillThis = () => this.key === key;
    const run = async (): Promise<Prepared> => {
      const { charset } = parseContentType(this.contentType);
      const utf8 = !charset || /^(utf-?8|us-ascii|ascii)$/i.test(charset) ? body : await toUtf8(body, charset, this.opts.pause);
      const step = this.opts.step ?? DEFAULT_STEP_BYTES;
      const r = await prettyJsonAsync(utf8, { slice: step, pause: this.opts.pause, cancelled: () => !stillThis() });
      if (!r.ok) return { ok: false, error: r.error };
      const indexer = new LineIndexer(r.pretty);
      if (!(await runSteps(indexer, this.steps(stillThis)))) return { ok: false, error: 'cancelled' };
      return { ok: true, index: indexer.result(), complete: r.complete };
    };
    this.prepared = run();
    return this.prepared;
  }

  /** The answer to a checked request of the page (a request about another body gets "not kept"). */
  async answer(m: JsonViewerRequest): Promise<JsonViewerAnswer> {
    const { id, key } = m;
    if (key !== this.key || !this.body) {
      if (m.type === 'jsonFolds') return { type: 'jsonFoldsData', id, key, pairs: [], more: false };
      if (m.type === 'jsonLines') return { type: 'jsonLinesData', id, key, from: m.from, base64: '', lengths: [], full: [], closes: [] };
      if (m.type === 'jsonSearch') return { type: 'jsonFound', id, key, lines: [], more: false, stopped: true };
      return { type: 'jsonReady', id, key, ok: false, error: NOT_KEPT, notKept: true };
    }
    const p = await this.prepare();
    if (!p.ok || key !== this.key) {
      const error = key !== this.key || p.ok ? NOT_KEPT : p.error;
      if (m.type === 'jsonOpen') return { type: 'jsonReady', id, key, ok: false, error, notKept: key !== this.key };
      if (m.type === 'jsonFolds') return { type: 'jsonFoldsData', id, key, pairs: [], more: false };
      if (m.type === 'jsonLines') return { type: 'jsonLinesData', id, key, from: m.from, base64: '', lengths: [], full: [], closes: [] };
      return { type: 'jsonFound', id, key, lines: [], more: false, stopped: true };
    }
    switch (m.type) {
      case 'jsonOpen':
        return { type: 'jsonReady', id, key, ok: true, lines: p.index.count, prettyBytes: p.index.bytes.length, complete: p.complete };
      case 'jsonLines':
        return linesMessage(id, key, p.index, m.from, m.count);
      case 'jsonFolds':
        return { type: 'jsonFoldsData', id, key, ...innerBlocks(p.index) };
      case 'jsonSearch': {
        const gen = ++this.searchGen;
        const s = new LineSearcher(p.index, m.query, m.caseSensitive);
        const finished = await runSteps(s, this.steps(() => gen === this.searchGen && key === this.key));
        return finished ? { type: 'jsonFound', id, key, ...s.result() } : { type: 'jsonFound', id, key, lines: [], more: false, stopped: true };
      }
    }
  }
}

/** Whether a body is shown by the JSON viewer (as the page decides: its kind from Content-Type and its start). */
export function isJsonBody(body: Uint8Array, contentType: string | undefined): boolean {
  const { mime, charset } = parseContentType(contentType);
  return classifyBody(mime, body, charset) === 'json';
}

/** Lines as the page gets them: their bytes one after the other in base64, with lengths and closing lines. */
export function linesMessage(id: number, key: string, index: LineIndex, from: number, count: number): JsonViewerAnswer {
  const batch = readLines(index, from, count);
  return {
    type: 'jsonLinesData',
    id,
    key,
    from: batch.from,
    base64: Buffer.concat(batch.lines).toString('base64'),
    lengths: batch.lines.map((l) => l.length),
    full: batch.full,
    closes: batch.closes,
  };
}
