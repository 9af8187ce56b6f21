/**
 * What the Test Explorer needs of a file: its blocks that have `??` asserts (label, lines) and each assert's line.
 * Plain Node (no `vscode`), so the discovery bench runs it outside the editor. A file without `??` is not parsed.
 */
import { parseNetreq } from '../../core/netreq';
import type { Block, Dialect } from '../../core/netreq/types';

export interface ScannedAssert {
  line: number;
  /** The `??` line, trimmed. */
  text: string;
  startCol: number;
  endCol: number;
}

export interface ScannedBlock {
  index: number;
  /** The block's `###` title, else its `# @name`, else its request line. */
  label: string;
  name?: string;
  startLine: number;
  endLine: number;
  asserts: ScannedAssert[];
}

/** Which rules a file follows, by its name: `.http` / `.rest` REST Client's (and httpyac's `??`), else NetReq's. */
export function dialectForPath(path: string): Dialect {
  return /\.(http|rest)$/i.test(path) ? 'http' : 'netreq';
}

export function blockLabel(b: Block): string {
  if (b.title) return b.title;
  if (b.name) return b.name;
  const rl = b.requestLine;
  return rl ? `${rl.method} ${rl.target}`.trim() : `Block ${b.index + 1}`;
}

/** The blocks of `text` that have a request and asserts, in file order. */
export function scanAsserts(text: string, dialect: Dialect): ScannedBlock[] {
  if (!text.includes('??')) return [];
  const doc = parseNetreq(text, { dialect });
  const out: ScannedBlock[] = [];
  for (const b of doc.blocks) {
    if (!b.requestLine || b.asserts.length === 0) continue;
    out.push({
      index: b.index,
      label: blockLabel(b),
      name: b.name,
      startLine: b.startLine,
      endLine: b.endLine,
      asserts: b.asserts.map((a) => ({ line: a.line, text: a.text.trim(), startCol: a.span.start.col, endCol: a.span.end.col })),
    });
  }
  return out;
}
