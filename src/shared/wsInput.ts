/**
 * What the WebSocket session panel's message box and Close controls accept, checked the same way on
 * both sides: the webview (to say what is wrong before anything is posted) and the host (which does not
 * trust what a webview posts). Pure; no DOM, no Node, no vscode.
 */

export type HexInputResult =
  | { ok: true; bytes: Uint8Array }
  /** `start`/`end`: the offending characters in the input. */
  | { ok: false; error: string; start: number; end: number };

function hexValue(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}

function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/**
 * Hex bytes as in a `.netreq` `>hex` message: pairs of hex digits, whitespace (also line breaks) between
 * them optional, `0x` prefixes allowed, `#` starts a comment to the end of the line. A leading `>hex`
 * (a line pasted from a .netreq file) is accepted too. At least one byte.
 */
export function parseHexInput(input: string): HexInputResult {
  let text = input;
  let base = 0;
  const lead = /^\s*>hex(?=\s|$)/.exec(text);
  if (lead) {
    base = lead[0].length;
    text = text.slice(base);
  }
  const out: number[] = [];
  let i = 0;
  const n = text.length;
  while (i < n) {
    const c = text.charCodeAt(i);
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (c === 35 /* # */) {
      while (i < n && text.charCodeAt(i) !== 10) i++;
      continue;
    }
    const s = i;
    while (i < n && !isSpace(text.charCodeAt(i)) && text.charCodeAt(i) !== 35) i++;
    const shown = text.slice(s, i);
    const tok = shown.length > 2 && (shown.startsWith('0x') || shown.startsWith('0X')) ? shown.slice(2) : shown;
    for (let k = 0; k < tok.length; k++) {
      if (hexValue(tok.charCodeAt(k)) < 0) {
        return {
          ok: false,
          error: `'${shown}' is not hex (at character ${base + s + 1}): write bytes as pairs of hex digits, e.g. 48 65 6c 6c 6f`,
          start: base + s,
          end: base + i,
        };
      }
    }
    if (tok.length % 2 !== 0) {
      return { ok: false, error: `'${shown}' has an odd number of hex digits (at character ${base + s + 1}): each byte is two digits, e.g. 0a`, start: base + s, end: base + i };
    }
    for (let k = 0; k < tok.length; k += 2) out.push(hexValue(tok.charCodeAt(k)) * 16 + hexValue(tok.charCodeAt(k + 1)));
  }
  if (out.length === 0) return { ok: false, error: 'There are no bytes to send: type them as hex, e.g. 48 65 6c 6c 6f', start: 0, end: input.length };
  return { ok: true, bytes: Uint8Array.from(out) };
}

/**
 * Why a close code cannot be sent, or undefined when it can. RFC 6455 §7.4: 1000–1003 and 1007–1014 are
 * defined, 3000–3999 registered, 4000–4999 private; 1004–1006 and 1015 are reserved and never sent.
 */
export function closeCodeProblem(code: number): string | undefined {
  if (!Number.isInteger(code)) return 'The close code is a whole number, e.g. 1000';
  if ((code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999)) return undefined;
  if (code >= 1004 && code <= 1006) return `Close code ${code} is reserved and never sent on the wire; use 1000 (normal), 1001 (going away) or 4000–4999`;
  if (code === 1015) return 'Close code 1015 (TLS failure) is reserved and never sent on the wire; use 1000 (normal), 1001 (going away) or 4000–4999';
  return `Close code ${code} cannot be sent: use 1000–1003, 1007–1014, 3000–3999 (registered) or 4000–4999 (private)`;
}

/** The close code as typed in the panel ("" means 1000). */
export function parseCloseCode(text: string): { ok: true; code: number } | { ok: false; error: string } {
  const t = text.trim();
  if (t === '') return { ok: true, code: 1000 };
  if (!/^\d{1,5}$/.test(t)) return { ok: false, error: `'${t}' is not a close code: type a number such as 1000` };
  const code = Number(t);
  const problem = closeCodeProblem(code);
  return problem ? { ok: false, error: problem } : { ok: true, code };
}

/** The close frame has room for 123 bytes of reason (125 minus the 2-byte code). */
export const MAX_CLOSE_REASON_BYTES = 123;

export function utf8Length(s: string): number {
  return new TextEncoder().encode(s).length;
}

export function closeReasonProblem(reason: string): string | undefined {
  const n = utf8Length(reason);
  return n > MAX_CLOSE_REASON_BYTES ? `The close reason is ${n} bytes in UTF-8; a close frame holds at most ${MAX_CLOSE_REASON_BYTES}` : undefined;
}
