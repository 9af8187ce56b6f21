/** Terminal-safe text: what the CLI and the task terminals print of bytes that came from the network. */

/** Makes control characters visible (ESC, BEL, NUL...) so a response cannot drive the terminal. Keeps \n and \t. */
export function safeText(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[\x00-\x08\x0b-\x1f\x7f\x80-\x9f]/g, (c) => (c === '\r' ? '' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}

export function ms(n: number | undefined): string {
  if (n === undefined) return '–';
  return n < 10 ? `${n.toFixed(2)} ms` : n < 1000 ? `${n.toFixed(1)} ms` : `${(n / 1000).toFixed(2)} s`;
}

/** Text of a chunk for the terminal: printable as is, control characters as \xNN, CR LF as ␍␊ + newline. */
export function chunkText(data: Buffer): string {
  // eslint-disable-next-line no-control-regex
  return data.toString('latin1').replace(/[\x00-\x1f\x7f-\x9f]/g, (c) => (c === '\n' ? '␊\n' : c === '\r' ? '␍' : c === '\t' ? '␉' : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`));
}
