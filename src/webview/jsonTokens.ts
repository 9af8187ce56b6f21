/**
 * Colours for one line of pretty JSON: keys, strings, numbers, literals and punctuation, found by a scan of
 * that line alone (a string cut by the end of the line is a string to the end). Display only: a line that is
 * not JSON still comes out as tokens whose texts join to the line.
 */
import type { Token } from '../shared/syntax';

const isSpace = (c: string) => c === ' ' || c === '\t';
const isNum = (c: string) => (c >= '0' && c <= '9') || c === '-' || c === '+' || c === '.' || c === 'e' || c === 'E';
const isWord = (c: string) => (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');

export function lineTokens(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    let j = i + 1;
    if (isSpace(c)) {
      while (j < n && isSpace(text[j])) j++;
      out.push({ kind: 'plain', text: text.slice(i, j) });
    } else if (c === '"') {
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      j = Math.min(n, j + 1);
      let k = j;
      while (k < n && isSpace(text[k])) k++;
      out.push({ kind: text[k] === ':' ? 'key' : 'string', text: text.slice(i, j) });
    } else if ('{}[],:'.includes(c)) {
      out.push({ kind: 'punct', text: c });
    } else if (c === '-' || (c >= '0' && c <= '9')) {
      while (j < n && isNum(text[j])) j++;
      out.push({ kind: 'number', text: text.slice(i, j) });
    } else if (isWord(c)) {
      while (j < n && isWord(text[j])) j++;
      out.push({ kind: 'literal', text: text.slice(i, j) });
    } else {
      out.push({ kind: 'plain', text: c });
    }
    i = j;
  }
  return out;
}
