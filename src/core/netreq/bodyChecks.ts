/**
 * What the parser checks in a block's body: a `< ./file` body, `??` lines inside the body, `# @hex` text and
 * WebSocket message lines. Comment lines removed from `.http` bodies (dialect.ts) are not looked at.
 */
import { Codes, diag } from './diag';
import { bodyLine } from './dialect';
import { parseHexLines } from './hex';
import { indentOf, isBlank, trimEndCol } from './scan';
import type { BodySource, Diagnostic, Dialect } from './types';
import { parseWsBody } from './ws';

/** `??` after optional blanks: an assert line. */
const isAssert = (t: string, ind: number): boolean => t.charCodeAt(ind) === 63 && t.charCodeAt(ind + 1) === 63;

export interface BodySink {
  readonly lines: readonly string[];
  readonly diags: Diagnostic[];
  /** `.http` files: a body line that REST Client also reads as a file variable is flagged. */
  readonly dialect?: Dialect;
}

/** REST Client's file-variable line (RC@6649589 src/common/constants.ts:71), which it reads on every line of a file. */
const REST_CLIENT_VARIABLE = /^\s*@([^\s=]+)\s*=\s*(.*?)\s*$/;

/** Checks body (its lines as sent); `refs` checks the `{{…}}` references of a line. */
export function checkBody(s: BodySink, body: BodySource, messages: boolean, hex: boolean, refs: (text: string, line: number) => void): void {
  const n = body.lines ? body.lines.length : body.endLine - body.startLine + 1;
  const L = s.lines;
  let only = -1;
  for (let k = 0; k < n; k++) {
    if (isBlank(L[bodyLine(body, k)])) continue;
    if (only >= 0) {
      only = -2;
      break;
    }
    only = k;
  }
  if (only >= 0 && !messages && fileBody(s, body, L[bodyLine(body, only)], bodyLine(body, only), refs)) return;
  for (let k = 0; k < n; k++) {
    const i = bodyLine(body, k);
    const t = L[i];
    if (t.indexOf('{{') >= 0) refs(t, i);
    const ind = indentOf(t);
    if (s.dialect === 'http' && REST_CLIENT_VARIABLE.test(t)) {
      s.diags.push(
        diag(i, ind, trimEndCol(t), 'warning', Codes.bodyVariableLine, 'REST Client also reads this body line as a file variable for the whole file; NetReq sends it as body text only: define the variable above the request'),
      );
    }
    if (isAssert(t, ind)) {
      s.diags.push(diag(i, ind, trimEndCol(t), 'error', Codes.assertInBody, 'An assert line (??) inside the body would be sent as body text: put the asserts after the body'));
    }
  }
  if (!hex && !messages) return;
  const lines = body.lines ? body.lines.map((k) => L[k]) : L.slice(body.startLine, body.endLine + 1);
  if (hex) {
    const templated = lines.map((l) => l.indexOf('{{') >= 0); // no hex check where variables fill in text
    for (const p of parseHexLines(lines, undefined, (x) => templated[x]).problems) {
      s.diags.push(diag(bodyLine(body, p.index), p.start, p.end, 'error', Codes.badHex, p.message));
    }
  }
  if (messages) {
    for (const p of parseWsBody(lines).problems) {
      if (p.kind === 'hex' && lines[p.index].indexOf('{{') >= 0) continue;
      const code = p.kind === 'hex' ? Codes.badHex : p.kind === 'stray' ? Codes.wsStrayText : Codes.badDirectiveValue;
      s.diags.push(diag(bodyLine(body, p.index), p.start, p.end, p.severity, code, p.kind === 'wait' ? `@wait: ${p.message}` : p.message));
    }
  }
}

/** `< path` / `<@ path` / `<@encoding path` as the whole body. */
function fileBody(s: BodySink, body: BodySource, t: string, line: number, refs: (text: string, line: number) => void): boolean {
  const ind = indentOf(t);
  let substitute: boolean;
  let rest: string;
  if (t.startsWith('<@', ind)) {
    substitute = true;
    rest = t.slice(ind + 2);
    if (rest !== '' && rest[0] !== ' ' && rest[0] !== '\t') {
      const sp = rest.search(/[ \t]/);
      if (sp > 0 && rest.slice(sp).trim() !== '') rest = rest.slice(sp); // '<@latin1 ./x': encoding word
    }
  } else if (t[ind] === '<' && (t[ind + 1] === ' ' || t[ind + 1] === '\t' || ind + 1 === t.length)) {
    substitute = false;
    rest = t.slice(ind + 1);
  } else {
    return false;
  }
  const path = rest.trim();
  if (path === '') {
    s.diags.push(diag(line, ind, trimEndCol(t), 'error', Codes.badBodyFile, `Expected a file path after '${substitute ? '<@' : '<'}', e.g. < ./body.json`));
    return true;
  }
  body.file = { path, substitute, line };
  refs(t, line);
  return true;
}
