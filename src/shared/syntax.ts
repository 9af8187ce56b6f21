/**
 * Display tokenizers for response bodies: JSON and XML/HTML pretty-printed into lines of tokens that the
 * webview renders as text (span + class per token). Nothing is ever parsed into a DOM. Pure, no DOM types.
 */

export type TokenKind = 'key' | 'string' | 'number' | 'literal' | 'punct' | 'tag' | 'attr' | 'value' | 'comment' | 'text' | 'plain';
export interface Token {
  kind: TokenKind;
  text: string;
}
/** A pretty-printed document: lines of tokens. */
export type TokenLines = Token[][];

type JsonLex = { kind: 'string' | 'number' | 'literal' | 'punct'; text: string };

function lexJson(text: string): JsonLex[] | undefined {
  const out: JsonLex[] = [];
  // eslint-disable-next-line no-control-regex -- JSON strings may not hold raw control characters
  const re = /\s+|"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"|-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}[\]:,]/y;
  let i = 0;
  while (i < text.length) {
    re.lastIndex = i;
    const m = re.exec(text);
    if (!m) return undefined;
    const t = m[0];
    i += t.length;
    const c = t[0];
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') continue;
    if (c === '"') out.push({ kind: 'string', text: t });
    else if (c === '-' || (c >= '0' && c <= '9')) out.push({ kind: 'number', text: t });
    else if (c === 't' || c === 'f' || c === 'n') out.push({ kind: 'literal', text: t });
    else out.push({ kind: 'punct', text: t });
  }
  return out;
}

/**
 * Pretty-prints JSON from its tokens (not from JSON.parse values, so big numbers, number spelling
 * and duplicate keys stay exactly as sent). Undefined when the text is not valid JSON.
 */
export function prettyJson(text: string, indent = 2): TokenLines | undefined {
  const src = text.replace(/^\uFEFF/, '');
  try {
    JSON.parse(src);
  } catch {
    return undefined;
  }
  const lex = lexJson(src);
  if (!lex) return undefined;
  const lines: TokenLines = [];
  let line: Token[] = [];
  let depth = 0;
  const pad = (d: number): Token => ({ kind: 'plain', text: ' '.repeat(d * indent) });
  const newline = () => {
    lines.push(line);
    line = [pad(depth)];
  };
  line = [];
  for (let k = 0; k < lex.length; k++) {
    const t = lex[k];
    const next = lex[k + 1];
    if (t.kind === 'punct') {
      if (t.text === '{' || t.text === '[') {
        line.push({ kind: 'punct', text: t.text });
        const close = t.text === '{' ? '}' : ']';
        if (next && next.text === close) {
          line.push({ kind: 'punct', text: close });
          k++;
          continue;
        }
        depth++;
        newline();
      } else if (t.text === '}' || t.text === ']') {
        depth--;
        newline();
        line.push({ kind: 'punct', text: t.text });
      } else if (t.text === ',') {
        line.push({ kind: 'punct', text: ',' });
        newline();
      } else {
        line.push({ kind: 'punct', text: ':' }, { kind: 'plain', text: ' ' });
      }
    } else if (t.kind === 'string' && next && next.text === ':') {
      line.push({ kind: 'key', text: t.text });
    } else {
      line.push({ kind: t.kind, text: t.text });
    }
  }
  lines.push(line);
  return lines;
}

const VOID_ELEMENTS = new Set(['area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr']);
const RAW_TEXT_ELEMENTS = new Set(['script', 'style', 'textarea', 'title']);

function tagTokens(tag: string): Token[] {
  // <name attr="v" attr2=v2 /> split into tag / attr / value / punct tokens (display only).
  const out: Token[] = [];
  const m = /^(<\/?)([^\s/>]*)/.exec(tag);
  if (!m) return [{ kind: 'tag', text: tag }];
  out.push({ kind: 'punct', text: m[1] }, { kind: 'tag', text: m[2] });
  let rest = tag.slice(m[0].length);
  const attr = /^(\s+)([^\s=/>]+)(?:(\s*=\s*)("[^"]*"|'[^']*'|[^\s>]+))?/;
  for (;;) {
    const a = attr.exec(rest);
    if (!a) break;
    out.push({ kind: 'plain', text: a[1] }, { kind: 'attr', text: a[2] });
    if (a[3] !== undefined) out.push({ kind: 'punct', text: a[3] }, { kind: 'value', text: a[4] });
    rest = rest.slice(a[0].length);
  }
  if (rest) out.push({ kind: 'punct', text: rest });
  return out;
}

/**
 * Pretty-prints XML/HTML as escaped text (display tokens only, never parsed into a DOM): one tag per
 * line, children indented, text trimmed; <script>/<style> contents kept as they are.
 */
export function prettyMarkup(text: string, html = false, indent = 2): TokenLines {
  const lines: TokenLines = [];
  let depth = 0;
  const push = (tokens: Token[], d = depth) => lines.push([{ kind: 'plain', text: ' '.repeat(Math.max(0, d) * indent) }, ...tokens]);
  const re = /<!--[\s\S]*?(?:-->|$)|<!\[CDATA\[[\s\S]*?(?:\]\]>|$)|<![^>]*>?|<\?[\s\S]*?(?:\?>|$)|<\/?[A-Za-z][^>]*>?|[^<]+|</g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(text))) {
    const t = m[0];
    if (t.startsWith('<!--')) {
      push([{ kind: 'comment', text: t }]);
    } else if (t.startsWith('<![CDATA[') || t.startsWith('<!') || t.startsWith('<?')) {
      push([{ kind: 'comment', text: t }]);
    } else if (/^<\/[A-Za-z]/.test(t)) {
      depth--;
      push(tagTokens(t));
    } else if (/^<[A-Za-z]/.test(t)) {
      const name = (/^<([^\s/>]+)/.exec(t)?.[1] ?? '').toLowerCase();
      push(tagTokens(t));
      const selfClosing = t.endsWith('/>') || (html && VOID_ELEMENTS.has(name));
      if (selfClosing) continue;
      if (html && RAW_TEXT_ELEMENTS.has(name)) {
        const close = new RegExp(`</${name}\\s*>`, 'ig');
        close.lastIndex = re.lastIndex;
        const c = close.exec(text);
        const end = c ? c.index : text.length;
        const inner = text.slice(re.lastIndex, end);
        for (const l of inner.split(/\r?\n/)) if (l.trim()) push([{ kind: 'text', text: l.trimEnd() }], depth + 1);
        if (c) push(tagTokens(c[0]));
        re.lastIndex = c ? c.index + c[0].length : text.length;
        continue;
      }
      depth++;
    } else {
      for (const l of t.split(/\r?\n/)) {
        const s = l.trim();
        if (s) push([{ kind: 'text', text: s }]);
      }
    }
  }
  return lines;
}

/** Plain text as lines (CRLF/LF split, no other change). */
export function plainLines(text: string): TokenLines {
  return text.split(/\r?\n/).map((l) => [{ kind: 'plain', text: l }]);
}

export function countTokens(lines: TokenLines): number {
  let n = 0;
  for (const l of lines) n += l.length;
  return n;
}
