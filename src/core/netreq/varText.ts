/** Small text helpers for the variable resolver's messages and for `{{%name}}` encoding. */

/** A variable name for a message, shortened when long. */
export function shortName(name: string): string {
  return name.length > 40 ? `${name.slice(0, 39)}…` : name;
}

/** `a → b → c`, or `a → b → c → … → y → z` for a long chain. */
export function chainText(chain: readonly string[]): string {
  const names = chain.map(shortName);
  return names.length <= 8 ? names.join(' → ') : [...names.slice(0, 4), '…', ...names.slice(-3)].join(' → ');
}

/** Index of the first unpaired UTF-16 surrogate, or -1 (encodeURIComponent throws "URI malformed" on one). */
export function loneSurrogate(s: string, from = 0): number {
  for (let i = from; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0xd800 || c > 0xdfff) continue;
    if (c <= 0xdbff) {
      const d = s.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++;
        continue;
      }
    }
    return i;
  }
  return -1;
}

/** s with every unpaired surrogate replaced by U+FFFD. */
export function wellFormed(s: string): string {
  let out = '';
  let last = 0;
  for (let i = loneSurrogate(s); i >= 0; i = loneSurrogate(s, last)) {
    out += `${s.slice(last, i)}\ufffd`;
    last = i + 1;
  }
  return out + s.slice(last);
}
