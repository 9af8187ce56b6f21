/**
 * Hex payloads (`# @hex` bodies and WebSocket `>hex` messages): bytes as pairs of hex digits,
 * whitespace between them optional, `#` starts a comment to the end of the line, `0x` prefixes
 * allowed. Linear.
 */

export interface HexProblem {
  /** Index of the line in the given lines. */
  index: number;
  start: number;
  end: number;
  message: string;
}

export interface HexResult {
  bytes: Buffer;
  problems: HexProblem[];
}

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

/**
 * Parses lines of hex; `offsets[i]` (optional) is the column where line i's text starts,
 * added to problem columns.
 */
export function parseHexLines(lines: readonly string[], offsets?: readonly number[]): HexResult {
  const out: number[] = [];
  const problems: HexProblem[] = [];
  for (let li = 0; li < lines.length; li++) {
    const text = lines[li];
    const base = offsets ? offsets[li] : 0;
    const hash = text.indexOf('#');
    const end = hash < 0 ? text.length : hash;
    let i = 0;
    while (i < end) {
      while (i < end && (text.charCodeAt(i) === 32 || text.charCodeAt(i) === 9)) i++;
      if (i >= end) break;
      const s = i;
      while (i < end && text.charCodeAt(i) !== 32 && text.charCodeAt(i) !== 9) i++;
      let tok = text.slice(s, i);
      if (tok.length > 2 && (tok.startsWith('0x') || tok.startsWith('0X'))) tok = tok.slice(2);
      const shown = text.slice(s, i);
      let bad = false;
      for (let k = 0; k < tok.length; k++) {
        if (hexValue(tok.charCodeAt(k)) < 0) {
          bad = true;
          break;
        }
      }
      if (bad) {
        problems.push({
          index: li,
          start: base + s,
          end: base + i,
          message: `'${shown}' is not hex: write bytes as pairs of hex digits, e.g. 48 65 6c 6c 6f`,
        });
        continue;
      }
      if (tok.length % 2 !== 0) {
        problems.push({
          index: li,
          start: base + s,
          end: base + i,
          message: `'${shown}' has an odd number of hex digits: each byte is two digits, e.g. 0a`,
        });
        continue;
      }
      for (let k = 0; k < tok.length; k += 2) {
        out.push(hexValue(tok.charCodeAt(k)) * 16 + hexValue(tok.charCodeAt(k + 1)));
      }
    }
  }
  return { bytes: Buffer.from(out), problems };
}
