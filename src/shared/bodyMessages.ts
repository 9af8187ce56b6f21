/**
 * The JSON body viewer's messages (response panel): the page pulls what it shows of a body the host keeps, as
 * pretty JSON lines. `key` names the body (the `bodyKey` of the exchange message that showed it): the host
 * answers only for the body its panel shows now, so a late answer about an older one is told apart.
 * Both sides check every count and size: the host refuses requests over the limits, the page drops answers
 * over them. Imports neither `vscode` nor the DOM.
 */
import { MAX_FOLDS, MAX_LINE_BYTES, MAX_LINES_PER_REQUEST, MAX_MATCHES, MAX_QUERY_CHARS } from '../common/jsonLines';
import { isCount, isStr, record } from './shapes';

/** Page → host: format the body (once) and say how many lines it has. */
export interface JsonOpenRequest {
  type: 'jsonOpen';
  id: number;
  key: string;
}

/** Page → host: lines [from, from + count), count at most MAX_LINES_PER_REQUEST. */
export interface JsonLinesRequest {
  type: 'jsonLines';
  id: number;
  key: string;
  from: number;
  count: number;
}

/** Page → host: the lines that contain `query` (a newer search of the page stops an older one). */
export interface JsonSearchRequest {
  type: 'jsonSearch';
  id: number;
  key: string;
  query: string;
  caseSensitive: boolean;
}

/** Page → host: what "Collapse all" folds (see innerBlocks). */
export interface JsonFoldsRequest {
  type: 'jsonFolds';
  id: number;
  key: string;
}

export type JsonViewerRequest = JsonOpenRequest | JsonLinesRequest | JsonSearchRequest | JsonFoldsRequest;

/** The body as pretty lines (`ok`), or why it is not shown so: not JSON (where, in words), or no longer kept. */
export type JsonReadyMessage =
  | { type: 'jsonReady'; id: number; key: string; ok: true; lines: number; prettyBytes: number; complete: boolean }
  | { type: 'jsonReady'; id: number; key: string; ok: false; error: string; notKept?: boolean };

/** Lines from `from` on: their bytes one after the other (base64), each one's length as carried and in full, its closing line (-1: none). */
export interface JsonLinesMessage {
  type: 'jsonLinesData';
  id: number;
  key: string;
  from: number;
  base64: string;
  lengths: number[];
  full: number[];
  closes: number[];
}

/** The lines that match, ascending (at most MAX_MATCHES; `more` when there were more); `stopped` when a newer search replaced it. */
export interface JsonFoundMessage {
  type: 'jsonFound';
  id: number;
  key: string;
  lines: number[];
  more: boolean;
  stopped?: boolean;
}

/** The containers to collapse, as [open, close] pairs flattened (at most MAX_FOLDS pairs; `more` when there were more). */
export interface JsonFoldsMessage {
  type: 'jsonFoldsData';
  id: number;
  key: string;
  pairs: number[];
  more: boolean;
}

export type JsonViewerAnswer = JsonReadyMessage | JsonLinesMessage | JsonFoundMessage | JsonFoldsMessage;

export const JSON_REQUESTS: ReadonlySet<string> = new Set(['jsonOpen', 'jsonLines', 'jsonSearch', 'jsonFolds']);
const JSON_ANSWERS: ReadonlySet<string> = new Set(['jsonReady', 'jsonLinesData', 'jsonFound', 'jsonFoldsData']);

const isId = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isKey = (v: unknown): v is string => typeof v === 'string' && v.length > 0 && v.length <= 100;
const isLine = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= -1;

/** Host-side check of a viewer request: the counts within the limits. */
export function isJsonViewerRequest(m: unknown): m is JsonViewerRequest {
  const o = record(m);
  if (!o || !JSON_REQUESTS.has(o.type as string) || !isId(o.id) || !isKey(o.key)) return false;
  switch (o.type) {
    case 'jsonOpen':
    case 'jsonFolds':
      return true;
    case 'jsonLines':
      return isCount(o.from) && isCount(o.count) && o.count <= MAX_LINES_PER_REQUEST;
    default:
      return isStr(o.query) && o.query.length <= MAX_QUERY_CHARS && typeof o.caseSensitive === 'boolean';
  }
}

export function isJsonViewerAnswerType(type: unknown): boolean {
  return JSON_ANSWERS.has(type as string);
}

/** Page-side check of a viewer answer: lists within the limits, every length within MAX_LINE_BYTES and its full length. */
export function isJsonViewerAnswer(m: unknown): m is JsonViewerAnswer {
  const o = record(m);
  if (!o || !isJsonViewerAnswerType(o.type) || !isId(o.id) || !isKey(o.key)) return false;
  switch (o.type) {
    case 'jsonReady':
      return o.ok === true ? isCount(o.lines) && isCount(o.prettyBytes) && typeof o.complete === 'boolean' : o.ok === false && isStr(o.error) && o.error.length <= 2000;
    case 'jsonLinesData': {
      const { lengths, full, closes } = o;
      if (!isCount(o.from) || !isStr(o.base64) || !Array.isArray(lengths) || !Array.isArray(full) || !Array.isArray(closes)) return false;
      const n = lengths.length;
      if (n > MAX_LINES_PER_REQUEST || full.length !== n || closes.length !== n) return false;
      for (let i = 0; i < n; i++) {
        if (!isCount(lengths[i]) || lengths[i] > MAX_LINE_BYTES || !isCount(full[i]) || full[i] < lengths[i] || !isLine(closes[i])) return false;
      }
      // Base64 of at most n × MAX_LINE_BYTES bytes.
      return o.base64.length <= Math.ceil((n * MAX_LINE_BYTES) / 3) * 4 && /^[A-Za-z0-9+/]*={0,2}$/.test(o.base64);
    }
    case 'jsonFoldsData':
      return Array.isArray(o.pairs) && o.pairs.length <= 2 * MAX_FOLDS && o.pairs.length % 2 === 0 && o.pairs.every(isCount) && typeof o.more === 'boolean';
    default:
      return Array.isArray(o.lines) && o.lines.length <= MAX_MATCHES && o.lines.every(isCount) && typeof o.more === 'boolean';
  }
}
