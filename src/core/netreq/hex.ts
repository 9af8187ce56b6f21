/**
 * Hex payloads (`# @hex` bodies and WebSocket `>hex` messages): bytes as pairs of hex digits,
 * whitespace between them optional, `#` starts a comment to the end of the line, `0x` prefixes
 * allowed. Linear. Problems are listed for the first MAX_HEX_PROBLEMS bad tokens only, then one
 * summary counts the rest (an 800 KB line of bad tokens is one problem per token otherwise).
 */

/** Bad hex tokens listed one by one per call (one body or one WebSocket message). */
export const MAX_HEX_PROBLEMS = 10;

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
export function parseHexLines(lines: readonly string[], offsets?: readonly number[], skipProblems?: (index: number) => boolean): HexResult {
  let size = 0;
  for (const l of lines) size += l.length;
  const out = Buffer.allocUnsafe(Math.ceil(size / 2));
  let n = 0;
  const problems: HexProblem[] = [];
  let more = 0;
  const problem = (p: HexProblem): void => {
    if (skipProblems?.(p.index)) return;
    if (problems.length < MAX_HEX_PROBLEMS) problems.push(p);
    else if (more++ === 0) problems.push(p); // placeholder for the summary, at the first unlisted token
  };
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
      const from = i - s > 2 && text.charCodeAt(s) === 48 && (text.charCodeAt(s + 1) | 32) === 120 ? s + 2 : s; // 0x / 0X
      let bad = false;
      for (let k = from; k < i; k++) {
        if (hexValue(text.charCodeAt(k)) < 0) {
          bad = true;
          break;
        }
      }
      if (bad || (i - from) % 2 !== 0) {
        const shown = shorten(text.slice(s, i));
        problem({
          index: li,
          start: base + s,
          end: base + i,
          message: bad
            ? `'${shown}' is not hex: write bytes as pairs of hex digits, e.g. 48 65 6c 6c 6f`
            : `'${shown}' has an odd number of hex digits: each byte is two digits, e.g. 0a`,
        });
        continue;
      }
      for (let k = from; k < i; k += 2) out[n++] = hexValue(text.charCodeAt(k)) * 16 + hexValue(text.charCodeAt(k + 1));
    }
  }
  if (more > 0) {
    const last = problems[problems.length - 1];
    last.message = `There ${more === 1 ? 'is 1 more hex problem' : `are ${more.toLocaleString('en-US')} more hex problems`} from here on; only the first ${MAX_HEX_PROBLEMS} are listed`;
  }
  return { bytes: Buffer.from(out.subarray(0, n)), problems };
}

function shorten(t: string): string {
  return t.length > 40 ? `${t.slice(0, 39)}…` : t;
}
