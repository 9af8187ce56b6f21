/**
 * `.netreq` text → blocks + file variables + diagnostics. Never throws; one pass over the lines
 * plus a pass over the places that may hold `{{variables}}`.
 *
 * Variable scope (REST Client semantics): every `@name = value` line that stands outside a
 * request's header/body section — before the first `###`, or in a block before its request
 * line — is a *file* variable, valid in the whole file wherever it stands, and goes to
 * `document.variables`. When a name is defined twice the last definition is used (as REST
 * Client does) and the earlier one gets a warning. The parser therefore leaves
 * `block.variables` empty; the resolver still honours it (request-scoped, above file
 * variables) for callers that build blocks themselves or a future request-scoped syntax.
 */
import { checkHttpConversions } from '../protocols/http/conversionChecks';
import { checkApplicability, checkAsserts, checkHttpHeadPayload, checkHttpHost, checkNames, checkPending, checkRefs, type PendingRef } from './checks';
import { DIRECTIVE_NAMES, directiveSpec } from './directives';
import { Codes, capDiagnostics, diag, errorText, nearWords, q } from './diag';
import { indentOf, isBlank, isToken, sliceTrim, splitLines, trimEndCol } from './scan';
import { kindSyntax, takesPayload } from '../protocols/kinds';
import { parseRequestLine } from './requestLine';
import type { AssertLine, Block, Dialect, Diagnostic, Directive, HeaderLine, NetreqDocument, ParseOptions, VariableDef } from './types';
import { checkBody } from './bodyChecks';
import { withPrompts } from './interactive';
import { bodySource, checkHeaderlessGraphql, checkHttpHeaders, foreignBeforeRequest, foreignDirective, noteOtherToolDefaults, refuseRequestLine, scanHttpLines, type DialectSink } from './dialect';
import { isCurlLine, readCurlBlock } from '../protocols/http/curlCommand';

export function parseNetreq(text: string, options: ParseOptions = {}): NetreqDocument {
  const dialect: Dialect = options.dialect === 'http' ? 'http' : 'netreq';
  try {
    return new Parser(typeof text === 'string' ? text : String(text ?? ''), dialect).run();
  } catch (e) {
    return {
      dialect,
      blocks: [],
      variables: [],
      diagnostics: [diag(0, 0, 0, 'error', Codes.internalError, `The .netreq parser failed: ${errorText(e)} (please report this)`)],
    };
  }
}

const HASH = 35;
const SLASH = 47;
const AT = 64;

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const isKeyChar = (c: number): boolean => isLetter(c) || (c >= 48 && c <= 57) || c === 95 || c === 45;

const isComment = (t: string, ind: number): boolean =>
  t.charCodeAt(ind) === HASH || (t.charCodeAt(ind) === SLASH && t.charCodeAt(ind + 1) === SLASH);


/** Placeholders while a block's own arrays are being collected (never handed out). */
const EMPTY_DIRECTIVES: Directive[] = [];
const EMPTY_HEADERS: HeaderLine[] = [];
/** Every block without `??` lines shares this one (frozen: never pushed to). */
const NO_ASSERTS: readonly AssertLine[] = Object.freeze([]);

const QUESTION = 63;
/** `??` after optional blanks: an assert line. */
const isAssert = (t: string, ind: number): boolean => t.charCodeAt(ind) === QUESTION && t.charCodeAt(ind + 1) === QUESTION;

class Parser implements DialectSink {
  readonly lines: string[];
  readonly diags: Diagnostic[] = [];
  private readonly blocks: Block[] = [];
  private readonly vars: VariableDef[] = [];
  private readonly varLines = new Map<string, number>();
  private readonly pending: PendingRef[] = [];
  /**
   * Scratch arrays a block's directives and headers are collected in (nDirs / nHdrs long), then
   * copied out at their exact size: arrays grown by push keep spare capacity (17 slots for 1–2 items), which a
   * 5,000-block document would carry as megabytes, and garbage for the collector.
   */
  private readonly dirs: Directive[] = [];
  private readonly hdrs: HeaderLine[] = [];
  private nDirs = 0;
  private nHdrs = 0;
  /** The current block's lines in a refused script construct (dialect.ts): no header or variable checks there. */
  readonly foreign = new Set<number>();
  /** Directive keys seen in the current block (the duplicate check, linear). */
  private readonly dirKeys = new Set<string>();

  constructor(
    text: string,
    readonly dialect: Dialect,
  ) {
    this.lines = splitLines(text);
  }

  run(): NetreqDocument {
    const seps: number[] = [];
    for (let i = 0; i < this.lines.length; i++) if (this.lines[i].startsWith('###')) seps.push(i);
    const first = seps.length > 0 ? seps[0] : this.lines.length;
    if (first > 0) this.segment(0, first - 1, false);
    for (let k = 0; k < seps.length; k++) {
      const end = k + 1 < seps.length ? seps[k + 1] - 1 : this.lines.length - 1;
      this.segment(seps[k], end, true);
    }
    checkNames(this.blocks, this.diags);
    noteOtherToolDefaults(this, this.blocks);
    checkAsserts(this.blocks, this.dialect, this.diags);
    checkPending(this.pending, this.blocks, withPrompts(this.blocks, this.varLines), this.diags);
    this.diags.sort((a, b) => a.span.start.line - b.span.start.line || a.span.start.col - b.span.start.col);
    // At most MAX_SAME_DIAGNOSTICS of one code per block, then a count (groups: text between ### lines).
    let k = 0;
    const diagnostics = capDiagnostics(this.diags, (d) => {
      while (k < seps.length && seps[k] <= d.span.start.line) k++;
      return k;
    });
    return { dialect: this.dialect, blocks: this.blocks, variables: this.vars, diagnostics };
  }

  private segment(start: number, end: number, hasSep: boolean): void {
    const L = this.lines;
    let title = '';
    if (hasSep) {
      let h = 0;
      while (h < L[start].length && L[start].charCodeAt(h) === HASH) h++;
      title = sliceTrim(L[start], h, L[start].length);
    }
    // Every property up front (one hidden class, no property store growth per block).
    const block: Block = {
      index: this.blocks.length,
      title,
      name: undefined,
      startLine: start,
      endLine: end,
      requestLine: undefined,
      directives: EMPTY_DIRECTIVES,
      variables: [],
      headers: EMPTY_HEADERS,
      body: undefined,
      asserts: NO_ASSERTS,
    };
    this.nDirs = 0;
    this.nHdrs = 0;
    this.dirKeys.clear();
    let i = hasSep ? start + 1 : start;
    for (; i <= end; i++) {
      const t = L[i];
      const ind = indentOf(t);
      if (ind === t.length) continue;
      if (isComment(t, ind)) this.commentLine(t, i, ind, block);
      else if (t.charCodeAt(ind) === AT) this.variableLine(t, i, ind);
      else {
        const last = foreignBeforeRequest(this, i, end);
        if (last < 0) break;
        i = last;
      }
    }
    block.directives = this.dirs.slice(0, this.nDirs);
    if (i > end) {
      if (block.directives.length > 0) {
        const d = block.directives[0];
        this.diags.push({
          span: d.span,
          severity: 'warning',
          code: Codes.missingRequestLine,
          message: `These directives apply to no request: the block has no request line (e.g. GET http://127.0.0.1:8080/ or TCP host:port)`,
        });
      }
      block.headers = [];
      if (hasSep) this.blocks.push(block);
      return;
    }
    const raw = this.lastFlag(block, 'raw');
    if (isCurlLine(L[i])) {
      this.blocks.push(readCurlBlock(block, L, i, this.trailingAsserts(block, i + 1, end), this.diags));
      for (let k = i; k <= block.curl!.endLine; k++) this.refs(L[k], k, 0);
      return;
    }
    const rl = refuseRequestLine(this, i) ? undefined : parseRequestLine(L[i], i, raw, this.diags);
    this.blocks.push(block);
    if (!rl) {
      block.headers = [];
      return;
    }
    block.requestLine = rl;
    this.refs(L[i], i, 0);
    checkApplicability(block, rl.protocol, this.diags);
    i++;
    this.foreign.clear();
    if (rl.protocol === 'http') end = scanHttpLines(this, i, end);
    end = this.trailingAsserts(block, i, end);

    let bodyStart = end + 1;
    const syntax = kindSyntax(rl.protocol);
    if (syntax.headers) {
      for (; i <= end; i++) {
        const t = L[i];
        const ind = indentOf(t);
        if (ind === t.length) {
          bodyStart = i + 1;
          break;
        }
        if (isComment(t, ind) || (this.foreign.size > 0 && this.foreign.has(i))) continue;
        if (isAssert(t, ind)) {
          this.assertLine(block, t, i, ind);
          continue;
        }
        const c = t[ind];
        if (syntax.body === 'ws-messages' && c === '>') {
          bodyStart = i;
          break;
        }
        if (rl.protocol === 'http' && !raw && this.nHdrs === 0 && (c === '?' || c === '&')) {
          rl.target += t.trim(); // REST Client: query continuation lines
          this.refs(t, i, 0);
          continue;
        }
        this.headerLine(t, i, ind, raw);
      }
      block.headers = this.hdrs.slice(0, this.nHdrs);
      if (rl.protocol === 'http') {
        checkHttpHost(block, raw, this.diags);
        checkHttpHeaders(this, block.headers);
      }
    } else {
      bodyStart = i;
      while (bodyStart <= end && isBlank(L[bodyStart])) bodyStart++;
    }
    let bodyEnd = end;
    while (bodyEnd >= bodyStart && isBlank(L[bodyEnd])) bodyEnd--;
    if (bodyStart <= bodyEnd) {
      this.body(block, bodyStart, bodyEnd, raw);
      if (rl.protocol === 'http') checkHeaderlessGraphql(this, block, block.directives.some((d) => d.key === 'noGqlParsing'));
      if (takesPayload(rl.protocol) && bodyEnd < end) {
        const afterNewline = end === L.length - 1 && L[end] === '' ? 1 : 0;
        const n = end - bodyEnd - afterNewline;
        if (n > 0) block.body!.trailingBlankLines = n;
      }
      checkHttpHeadPayload(block, this.diags);
    }
    if (rl.protocol === 'http') checkHttpConversions(block, raw, this.dialect, this.diags);
    if (block.headers === EMPTY_HEADERS) block.headers = [];
    if (block.asserts.length > 1) (block.asserts as AssertLine[]).sort((a, b) => a.line - b.line);
  }

  /**
   * The `??` lines at the end of the block (with the blank and comment lines among them) are asserts, not body:
   * collects them and returns the last line left for the headers and the body.
   */
  private trailingAsserts(block: Block, from: number, end: number): number {
    const L = this.lines;
    let first = -1;
    for (let j = end; j >= from; j--) {
      const t = L[j];
      const ind = indentOf(t);
      if (ind === t.length || isComment(t, ind)) continue;
      if (!isAssert(t, ind)) break;
      first = j;
    }
    if (first < 0) return end;
    for (let j = first; j <= end; j++) {
      const ind = indentOf(L[j]);
      if (ind < L[j].length && isAssert(L[j], ind)) this.assertLine(block, L[j], j, ind);
    }
    // Everything above the first `??` line is what it was without asserts (adding asserts never changes what is
    // sent: a TCP payload keeps its blank lines, a .netreq body its comment lines).
    return first - 1;
  }

  private assertLine(block: Block, t: string, i: number, ind: number): void {
    if (block.asserts === NO_ASSERTS) block.asserts = [];
    (block.asserts as AssertLine[]).push({ text: t, line: i, span: { start: { line: i, col: ind }, end: { line: i, col: trimEndCol(t) } } });
    this.refs(t, i, 0);
  }

  private refs(text: string, line: number, col: number): void {
    if (text.indexOf('{{') >= 0) checkRefs(text, line, col, this.varLines, this.pending, this.diags);
  }

  private commentLine(t: string, i: number, ind: number, block: Block): void {
    let j = ind + (t.charCodeAt(ind) === HASH ? 1 : 2);
    while (j < t.length && (t[j] === ' ' || t[j] === '\t')) j++;
    if (t.charCodeAt(j) !== AT) return;
    const ks = j + 1;
    let k = ks;
    while (k < t.length && isKeyChar(t.charCodeAt(k))) k++;
    if (k === ks || !isLetter(t.charCodeAt(ks))) return;
    let v = k;
    while (v < t.length && (t[v] === ' ' || t[v] === '\t')) v++;
    if (k < t.length && v === k) return; // '# @foo!' is prose
    if (t[v] === '=') return; // '# @host = x' is a commented-out variable
    const key = t.slice(ks, k);
    const endCol = trimEndCol(t);
    const value = t.slice(v, Math.max(v, endCol));
    const d: Directive = { key, value, line: i, span: { start: { line: i, col: ind }, end: { line: i, col: endCol } } };
    this.dirs[this.nDirs++] = d;
    const spec = directiveSpec(key);
    if (!spec && foreignDirective(this, key, i, ks - 1, k)) return;
    if (!spec) {
      const near = nearWords(key, DIRECTIVE_NAMES);
      const hint = near.length > 0 ? `; did you mean @${near[0]}?` : `; known directives: ${DIRECTIVE_NAMES.map((n) => `@${n}`).join(', ')}`;
      const unknown = diag(i, ks - 1, k, 'warning', Codes.unknownDirective, `Unknown directive ${q(`@${key}`)} (ignored)${hint}`);
      if (near.length > 0) unknown.fixes = near.map((n) => ({ title: `Change to @${n}`, edits: [{ span: { start: { line: i, col: ks }, end: { line: i, col: k } }, text: n }] }));
      this.diags.push(unknown);
      return;
    }
    const dup = this.dirKeys.has(key);
    this.dirKeys.add(key);
    if (dup && key !== 'prompt') {
      this.diags.push(diag(i, ks - 1, k, 'warning', Codes.duplicateDirective, `'@${key}' is written more than once in this block; the last one counts`));
    }
    if (spec.ignored) {
      this.diags.push(diag(i, ks - 1, k, spec.ignored.severity, Codes.ignoredDirective, spec.ignored.message));
      return;
    }
    if (value.indexOf('{{') >= 0 && key !== 'name') {
      this.refs(value, i, v);
      return;
    }
    const r = spec.parse(value);
    if (!r.ok) {
      const [s, e] = value === '' ? [ks - 1, k] : [v, endCol];
      this.diags.push(diag(i, s, e, 'error', Codes.badDirectiveValue, `@${key}: ${r.message}`));
    } else if (key === 'name') {
      block.name = r.value as string;
    } else if (key === 'disabled' && r.value === true) {
      this.diags.push(diag(i, ks - 1, k, 'info', Codes.disabledBlock, 'The block is skipped (httpyac’s # @disabled): Send and netreq run never send it'));
    }
  }

  private variableLine(t: string, i: number, ind: number): void {
    let j = ind + 1;
    while (j < t.length && t[j] !== ' ' && t[j] !== '\t' && t[j] !== '=') j++;
    const name = t.slice(ind + 1, j);
    let k = j;
    while (k < t.length && (t[k] === ' ' || t[k] === '\t')) k++;
    const endCol = trimEndCol(t);
    if (t[k] !== '=' || name === '') {
      this.diags.push(diag(i, ind, endCol, 'error', Codes.badVariable, `Expected '@name = value' to define a variable (got ${q(t.trim())})`));
      return;
    }
    if (/^[$%]|[{}]/.test(name)) {
      this.diags.push(diag(i, ind, j, 'error', Codes.badVariable, `${q(name)} cannot be a variable name: it may not start with $ or % nor contain { or }`));
      return;
    }
    let vs = k + 1;
    while (vs < t.length && (t[vs] === ' ' || t[vs] === '\t')) vs++;
    const value = t.slice(vs, Math.max(vs, endCol));
    const prev = this.varLines.get(name);
    if (prev !== undefined) {
      const p = this.lines[prev];
      const pi = indentOf(p);
      this.diags.push(
        diag(prev, pi, pi + 1 + name.length, 'warning', Codes.duplicateVariable, `Variable '${name}' is overridden by line ${i + 1}: the last definition is used (as REST Client does)`),
      );
    }
    this.varLines.set(name, i);
    this.vars.push({ name, value, line: i, span: { start: { line: i, col: ind }, end: { line: i, col: endCol } } });
    if (value.indexOf('{{') >= 0) this.refs(value, i, vs);
  }

  private headerLine(t: string, i: number, ind: number, raw: boolean): void {
    const colon = t.indexOf(':');
    const endCol = trimEndCol(t);
    const name = colon > 0 ? sliceTrim(t, 0, colon) : '';
    if (!raw) {
      const c = t[ind];
      const hint = c === '<' || c === '{' || c === '[' ? ' — a body must be separated from the headers by an empty line' : '';
      if (colon < 0 || name === '') {
        this.diags.push(diag(i, ind, endCol, 'error', Codes.badHeader, `Header line ${q(t.trim())} has no name: write Name: value${hint}`));
        return;
      }
      if (!isToken(name)) {
        this.diags.push(
          diag(i, ind, colon, 'error', Codes.badHeader, `${q(name)} is not a valid header name: no spaces or separators (use # @raw to send it anyway)${hint}`),
        );
        return;
      }
    }
    const value = colon >= 0 ? sliceTrim(t, colon + 1, t.length) : '';
    this.hdrs[this.nHdrs++] = { name: colon >= 0 ? name : sliceTrim(t, 0, t.length), value, line: i, text: t };
    if (t.indexOf('{{') >= 0) this.refs(t, i, 0);
  }

  private body(block: Block, start: number, end: number, raw: boolean): void {
    const protocol = block.requestLine!.protocol;
    const body = bodySource(this, start, end, this.dialect === 'http' && protocol === 'http' && !raw);
    if (!body) return;
    block.body = body;
    checkBody(this, body, kindSyntax(protocol).body === 'ws-messages', takesPayload(protocol) && this.lastFlag(block, 'hex'), (t, i) => this.foreign.has(i) || this.refs(t, i, 0));
  }

  private lastFlag(block: Block, key: string): boolean {
    let on = false;
    for (const d of block.directives) {
      if (d.key !== key) continue;
      const r = directiveSpec(key)!.parse(d.value);
      on = r.ok ? (r.value as boolean) : on;
    }
    return on;
  }
}
