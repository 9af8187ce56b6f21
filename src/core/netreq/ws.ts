/**
 * WebSocket bodies: `> text` starts a text message (continuation lines without a prefix belong
 * to it, joined with LF), `>hex 48 65` a binary message (continuation lines are more hex),
 * `# @wait 2s` pauses before the next message (or, after the last one, keeps the session open
 * that long), other `#` / `//` lines are comments. Used by the parser (diagnostics) and the
 * resolver (after substitution, line by line, so line numbers still match).
 */
import { parseHexLines, type HexProblem } from './hex';
import { parseDuration } from './values';

export interface WsDraft {
  type: 'text' | 'binary';
  /** Text (text messages) or hex text (binary messages) per line. */
  lines: string[];
  /** Column where each line's content starts. */
  cols: number[];
  /** Index (into the body lines) of each line. */
  indexes: number[];
  /** Body-line index of the first line. */
  index: number;
  /** Pause before sending (from a `# @wait` before it). */
  pauseMs?: number;
}

export interface WsProblem {
  index: number;
  start: number;
  end: number;
  severity: 'error' | 'warning';
  kind: 'hex' | 'stray' | 'wait';
  message: string;
}

export interface WsBody {
  messages: WsDraft[];
  /** From a `# @wait` after the last message. */
  waitMs?: number;
  problems: WsProblem[];
}

const WAIT = /^(?:#|\/\/)\s*@wait(?:\s+(.*))?$/;

export function parseWsBody(lines: readonly string[]): WsBody {
  const messages: WsDraft[] = [];
  const problems: WsProblem[] = [];
  let cur: WsDraft | undefined;
  let pending: number | undefined;
  for (let i = 0; i < lines.length; i++) {
    const text = lines[i];
    const t = text.trimStart();
    const indent = text.length - t.length;
    if (t.startsWith('#') || t.startsWith('//')) {
      const w = WAIT.exec(t.trimEnd());
      if (w) {
        const d = parseDuration(w[1] ?? '', true);
        if (d.ok) pending = d.value;
        else problems.push({ index: i, start: indent, end: text.length, severity: 'error', kind: 'wait', message: d.message });
      }
      continue;
    }
    if (t.startsWith('>')) {
      const isHex = t.startsWith('>hex') && (t.length === 4 || t[4] === ' ' || t[4] === '\t');
      let col = indent + (isHex ? 4 : 1);
      if (isHex) {
        while (col < text.length && (text[col] === ' ' || text[col] === '\t')) col++;
      } else if (text[col] === ' ') {
        col++;
      }
      cur = {
        type: isHex ? 'binary' : 'text',
        lines: [text.slice(col)],
        cols: [col],
        indexes: [i],
        index: i,
        pauseMs: pending,
      };
      pending = undefined;
      messages.push(cur);
      continue;
    }
    if (!cur) {
      if (t !== '') {
        problems.push({
          index: i,
          start: indent,
          end: text.length,
          severity: 'warning',
          kind: 'stray',
          message: "Text before the first message is not sent: start each message with '> ' (text) or '>hex ' (binary)",
        });
      }
      continue;
    }
    cur.lines.push(text);
    cur.cols.push(0);
    cur.indexes.push(i);
  }
  for (const m of messages) {
    // Trailing blank continuation lines separate messages; they are not part of them.
    while (m.lines.length > 1 && m.lines[m.lines.length - 1].trim() === '') {
      m.lines.pop();
      m.cols.pop();
      m.indexes.pop();
    }
    if (m.type === 'binary') {
      const r = parseHexLines(m.lines, m.cols);
      for (const p of r.problems) problems.push(hexProblem(m, p));
    }
  }
  return { messages, waitMs: pending, problems };
}

function hexProblem(m: WsDraft, p: HexProblem): WsProblem {
  return { index: m.indexes[p.index], start: p.start, end: p.end, severity: 'error', kind: 'hex', message: p.message };
}

/** The bytes of a parsed message. */
export function wsMessageData(m: WsDraft): Buffer {
  if (m.type === 'binary') return parseHexLines(m.lines).bytes;
  return Buffer.from(m.lines.join('\n'), 'utf8');
}
