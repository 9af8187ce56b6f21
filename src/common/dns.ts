/**
 * DNS words both sides print: the engine and CLI (src/core, src/cli) and the transcript panel (src/webview through
 * src/shared). Pure: no imports.
 */

const RCODE_WORDS: Record<string, string> = {
  NOERROR: 'the server answered',
  NXDOMAIN: 'the name does not exist',
  SERVFAIL: 'the server failed to answer',
  REFUSED: 'the server refused to answer',
  FORMERR: 'the server could not read the query',
  NOTIMP: 'the server does not do this kind of query',
};

/** "NXDOMAIN (the name does not exist)"; an rcode without words as it is. */
export function rcodeText(rcode: string): string {
  const w = Object.prototype.hasOwnProperty.call(RCODE_WORDS, rcode) ? RCODE_WORDS[rcode] : undefined;
  return w ? `${rcode} (${w})` : rcode;
}

/** The header flags that are set, dig style: "qr aa rd ra" ("(none)" when none is). */
export function flagsText(h: object): string {
  const set = h as Readonly<Record<string, unknown>>;
  return ['qr', 'aa', 'tc', 'rd', 'ra', 'ad', 'cd'].filter((f) => set[f] === true).join(' ') || '(none)';
}
