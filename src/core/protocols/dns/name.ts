/**
 * DNS names and query types as a `.netreq` file writes them, checked without the network. A leaf (no imports):
 * the parser reads it through the DNS syntax, the resolver and the engine use it again after substitution.
 */

/** The query types NetReq asks for, in the order diagnostics list them. */
export const DNS_TYPES = ['A', 'AAAA', 'MX', 'TXT', 'CNAME', 'NS', 'SOA', 'SRV', 'PTR', 'CAA', 'ANY'] as const;
export type DnsType = (typeof DNS_TYPES)[number];

/** A problem with offsets into the checked text, and a stable diagnostic code. */
export interface NameProblem {
  start: number;
  end: number;
  code: 'bad-dns-name' | 'unknown-dns-type';
  message: string;
}

const MAX_NAME = 253;
const MAX_LABEL = 63;

/** The type a word names (any case), or undefined. */
export function dnsType(word: string): DnsType | undefined {
  const u = word.toUpperCase();
  return (DNS_TYPES as readonly string[]).includes(u) ? (u as DnsType) : undefined;
}

export function typeProblem(word: string): NameProblem | undefined {
  if (word.includes('{{') || dnsType(word)) return undefined;
  const shown = word.length > 40 ? `${word.slice(0, 40)}…` : word;
  return { start: 0, end: word.length, code: 'unknown-dns-type', message: `"${shown}" is not a DNS type NetReq asks for: write one of ${DNS_TYPES.join(', ')} (A when left out)` };
}

const LABEL_CHAR = /^[A-Za-z0-9_*-]$/;

/**
 * Problems with a name written as text: empty labels, a label over 63 characters, a name over 253, characters
 * other than letters, digits, '-', '_' and '*'. A name holding `{{variables}}` is checked after substitution.
 * One trailing dot (the root) is allowed; "." alone is the root.
 */
export function nameProblems(name: string): NameProblem[] {
  if (name.includes('{{')) return [];
  const bare = name.endsWith('.') ? name.slice(0, -1) : name;
  if (name === '.') return [];
  const out: NameProblem[] = [];
  if (bare === '') return [{ start: 0, end: name.length, code: 'bad-dns-name', message: 'The name is empty: write a name such as example.com' }];
  if (bare.length > MAX_NAME) {
    out.push({ start: 0, end: name.length, code: 'bad-dns-name', message: `The name is ${bare.length} characters long: a DNS name has at most ${MAX_NAME}` });
  }
  let at = 0;
  for (const label of bare.split('.')) {
    const end = at + label.length;
    if (label === '') {
      out.push({ start: at, end: at + 1, code: 'bad-dns-name', message: 'The name has an empty label (two dots in a row, or a leading dot)' });
    } else if (label.length > MAX_LABEL) {
      out.push({ start: at, end, code: 'bad-dns-name', message: `The label "${label.slice(0, 20)}…" is ${label.length} characters long: a DNS label has at most ${MAX_LABEL}` });
    } else {
      for (let i = 0; i < label.length; i++) {
        if (LABEL_CHAR.test(label[i])) continue;
        const c = label.codePointAt(i)!;
        const what = c > 0x7f ? `write an international name in its ASCII form (xn--…)` : `a name has letters, digits, '-', '_' and '*'`;
        const shown = c < 0x20 || c === 0x7f ? `U+${c.toString(16).toUpperCase().padStart(4, '0')}` : String.fromCodePoint(c);
        out.push({ start: at + i, end: at + i + 1, code: 'bad-dns-name', message: `"${shown}" cannot be in a DNS name here: ${what}` });
        break;
      }
    }
    if (out.length >= 8) break;
    at = end + 1;
  }
  return out;
}
