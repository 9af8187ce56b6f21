/**
 * Help while typing, as plain data for any editor: what to complete at a position and what to say on hover.
 * The VS Code adapters (src/extension/language/completion.ts, hover.ts) only map these to VS Code's types.
 * Everything works on the parsed document and the line's text, so it is as fast as the parse it reuses.
 */
import { KINDS, kindSyntax, protocolLabel } from '../protocols/kinds';
import { assertCompletions, assertHover } from './assertAssist';
import { DIRECTIVES } from './directives';
import { fileVariables } from './docIndex';
import { SHARED } from './environments';
import { DIRECTIVE_HELP, HEADER_NAMES, HEADER_VALUES, SYSTEM_VARIABLE_HELP } from './help';
import { HTTP_METHODS } from './requestLine';
import type { Block, Environments, NetreqDocument } from './types';

export type CompletionKind = 'directive' | 'value' | 'protocol' | 'method' | 'header' | 'variable' | 'system' | 'field' | 'operator';

export interface Completion {
  label: string;
  kind: CompletionKind;
  /** Text that replaces the line from `from` to the cursor. */
  insert: string;
  /** Column where the replaced text starts (on the cursor's line). */
  from: number;
  /** One line next to the label (the value, where a directive applies…). */
  detail?: string;
  /** Markdown documentation. */
  doc?: string;
  /** Sort key: lower first. */
  rank?: number;
}

export interface AssistInput {
  doc: NetreqDocument;
  line: number;
  col: number;
  /** The text of any line (the cursor's line and the lines above it are read). */
  lineAt: (line: number) => string;
  environments?: Environments;
  /** The active environment; `$shared` applies with or without one. */
  environmentName?: string;
}

const MAX_SHOWN_VALUE = 200;
/** How far up a header-completion check looks for the blank line that starts a body. */
const MAX_HEADER_SCAN = 500;

function blockAt(doc: NetreqDocument, line: number): Block | undefined {
  let lo = 0;
  let hi = doc.blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = doc.blocks[mid];
    if (line < b.startLine) hi = mid - 1;
    else if (line > b.endLine) lo = mid + 1;
    else return b;
  }
  return undefined;
}

const shown = (v: string) => (v.length > MAX_SHOWN_VALUE ? `${v.slice(0, MAX_SHOWN_VALUE)}…` : v);
const code = (v: string) => '`' + v.replace(/`/g, 'ˋ') + '`';

function appliesText(key: string): string {
  const a = DIRECTIVES[key]?.applies;
  if (!a) return '';
  return a === 'all' ? 'every request' : a.map(protocolLabel).join(', ');
}

/** The definition that counts: the last one (REST Client's rule). */
function lastDef<T extends { name: string }>(defs: readonly T[], name: string): T | undefined {
  for (let i = defs.length - 1; i >= 0; i--) if (defs[i].name === name) return defs[i];
  return undefined;
}

/** Where a variable's value comes from, highest precedence first (README: file > environment > $shared). */
export function variableOrigin(input: AssistInput, name: string): { value: string; origin: string } | undefined {
  const { doc, environments, environmentName } = input;
  const block = blockAt(doc, input.line);
  const local = lastDef(block?.variables ?? [], name);
  if (local) return { value: local.value, origin: `file variable, line ${local.line + 1}` };
  const fv = fileVariables(doc);
  if (fv.has(name)) {
    const def = lastDef(doc.variables, name);
    return { value: fv.get(name)!, origin: `file variable${def ? `, line ${def.line + 1}` : ''}` };
  }
  const active = environmentName && environmentName !== SHARED ? environments?.[environmentName] : undefined;
  if (active && Object.prototype.hasOwnProperty.call(active, name) && typeof active[name] === 'string') {
    return { value: active[name], origin: `environment ${code(environmentName!)}` };
  }
  const shared = environments?.[SHARED];
  if (shared && Object.prototype.hasOwnProperty.call(shared, name) && typeof shared[name] === 'string') {
    return { value: shared[name], origin: `${code(SHARED)} environment` };
  }
  return undefined;
}

function variableCompletions(input: AssistInput, inner: string, from: number): Completion[] {
  if (inner.startsWith('$')) {
    return Object.entries(SYSTEM_VARIABLE_HELP).flatMap(([, h]) =>
      h.forms.map((f, i) => ({ label: `$${f}`, kind: 'system' as const, insert: `$${f}`, from, doc: h.doc, rank: i })),
    );
  }
  const out = new Map<string, Completion>();
  const add = (name: string) => {
    if (out.has(name)) return;
    const o = variableOrigin(input, name);
    if (o) out.set(name, { label: name, kind: 'variable', insert: name, from, detail: shown(o.value), doc: o.origin });
  };
  const block = blockAt(input.doc, input.line);
  for (const v of block?.variables ?? []) add(v.name);
  for (const v of input.doc.variables) add(v.name);
  const active = input.environmentName ? input.environments?.[input.environmentName] : undefined;
  for (const k of Object.keys(active ?? {})) add(k);
  for (const k of Object.keys(input.environments?.[SHARED] ?? {})) add(k);
  const system = inner.startsWith('%') ? [] : variableCompletions(input, '$', from).map((c) => ({ ...c, rank: 10 + (c.rank ?? 0) }));
  return [...out.values(), ...system];
}

function directiveCompletions(block: Block | undefined, from: number): Completion[] {
  const protocol = block?.requestLine?.protocol;
  return Object.keys(DIRECTIVE_HELP).map((key) => {
    const h = DIRECTIVE_HELP[key];
    const a = DIRECTIVES[key].applies;
    const fits = !protocol || a === 'all' || a.includes(protocol);
    return {
      label: `@${key}`,
      kind: 'directive' as const,
      insert: `@${key}${h.value || h.values ? ' ' : ''}`,
      from,
      detail: `${h.value ? `${h.value} · ` : ''}${appliesText(key)}`,
      doc: h.doc,
      rank: fits ? 0 : 1,
    };
  });
}

function requestWordCompletions(from: number): Completion[] {
  const kinds = KINDS.filter((k) => k.word).map((k) => ({
    label: k.word!,
    kind: 'protocol' as const,
    insert: `${k.word} `,
    from,
    detail: k.example,
    doc: `${k.label} request, e.g. ${code(k.example)}`,
    rank: 1,
  }));
  const methods = HTTP_METHODS.map((m) => ({ label: m, kind: 'method' as const, insert: `${m} `, from, detail: 'HTTP method', rank: 0 }));
  return [...methods, ...kinds];
}

/** The block's header section holds the cursor's line: after its request line, before the first blank line. */
function inHeaders(input: AssistInput, block: Block): boolean {
  const rl = block.requestLine;
  if (!rl || input.line <= rl.line || !kindSyntax(rl.protocol).headers) return false;
  if (block.body && input.line >= block.body.startLine) return false;
  if (input.line - rl.line > MAX_HEADER_SCAN) return false;
  for (let l = input.line - 1; l > rl.line; l--) if (input.lineAt(l).trim() === '') return false;
  return true;
}

/** What to offer at the position; empty when nothing fits. */
export function completionsAt(input: AssistInput): Completion[] {
  const prefix = input.lineAt(input.line).slice(0, input.col);
  const open = /\{\{([^{}]*)$/.exec(prefix);
  if (open) {
    const inner = open[1];
    if (/^\s*%?[\w$.-]*$/.test(inner)) return variableCompletions(input, inner.trimStart(), input.col - inner.replace(/^\s*%?/, '').length);
    return [];
  }
  const block = blockAt(input.doc, input.line);
  const dir = /^\s*(?:#|\/\/)\s*@([\w-]*)$/.exec(prefix);
  if (dir) return directiveCompletions(block, input.col - dir[1].length - 1);
  const dirValue = /^\s*(?:#|\/\/)\s*@([\w-]+)\s+(\S*)$/.exec(prefix);
  if (dirValue) {
    const values = DIRECTIVE_HELP[dirValue[1]]?.values ?? [];
    return values.map((v) => ({ label: v, kind: 'value' as const, insert: v, from: input.col - dirValue[2].length }));
  }
  const onAssert = assertCompletions(prefix, block?.requestLine?.protocol);
  if (onAssert) return onAssert;
  if (block && inHeaders(input, block)) {
    const value = /^([\w-]+)\s*:\s*([^,]*)$/.exec(prefix);
    if (value) {
      const values = HEADER_VALUES[value[1].toLowerCase()] ?? [];
      return values.map((v) => ({ label: v, kind: 'value' as const, insert: v, from: input.col - value[2].length }));
    }
    const name = /^([\w-]*)$/.exec(prefix);
    if (name) return HEADER_NAMES.map((h) => ({ label: h, kind: 'header' as const, insert: `${h}: `, from: 0 }));
    return [];
  }
  const beforeRequest = !block || !block.requestLine || block.requestLine.line >= input.line;
  if (beforeRequest && /^[A-Za-z]*$/.test(prefix)) return requestWordCompletions(0);
  return [];
}

export interface HoverInfo {
  markdown: string;
  from: number;
  to: number;
}

/** What to say about the word under the cursor: a variable's value and origin, a directive, a request word. */
export function hoverAt(input: AssistInput): HoverInfo | undefined {
  const text = input.lineAt(input.line);
  const col = input.col;
  for (const m of text.matchAll(/\{\{([^{}]*)\}\}/g)) {
    const from = m.index!;
    const to = from + m[0].length;
    if (col < from || col >= to) continue;
    const inner = m[1].trim();
    if (inner.startsWith('$')) {
      const name = /^\$(\w+)/.exec(inner)?.[1] ?? '';
      const h = SYSTEM_VARIABLE_HELP[name];
      return { from, to, markdown: h ? `**System variable** ${code(`$${name}`)}: ${h.doc}` : `${code(inner)} is not a system variable.` };
    }
    const name = inner.replace(/^%/, '');
    const o = variableOrigin(input, name);
    if (!o) return { from, to, markdown: `${code(name)} is not defined here (no file variable, and not in the active environment or \`$shared\`).` };
    const enc = inner.startsWith('%') ? ' (inserted percent-encoded)' : '';
    return { from, to, markdown: `${code(name)} = ${code(shown(o.value))}${enc}\n\nFrom the ${o.origin}.` };
  }
  const dir = /^(\s*(?:#|\/\/)\s*)@([\w-]+)/.exec(text);
  if (dir && col >= dir[1].length && col < dir[0].length) {
    const h = DIRECTIVE_HELP[dir[2]];
    if (!h) return undefined;
    const usage = `# @${dir[2]}${h.value ? ` ${h.value}` : ''}`;
    return { from: dir[1].length, to: dir[0].length, markdown: `${code(usage)} — applies to ${appliesText(dir[2])}\n\n${h.doc}` };
  }
  const block = blockAt(input.doc, input.line);
  const rl = block?.requestLine;
  const onAssert = assertHover(text, col, rl?.protocol);
  if (onAssert) return onAssert;
  if (rl && rl.line === input.line) {
    const word = /^\s*(\S+)/.exec(text);
    const start = word ? text.indexOf(word[1]) : -1;
    if (word && col >= start && col < start + word[1].length) {
      const k = kindSyntax(rl.protocol);
      const what = rl.protocol === 'http' ? `HTTP ${code(rl.method)} request` : `${k.label} request`;
      const takes = k.directives.length ? `\n\nDirectives for it: ${k.directives.map((d) => code(`@${d}`)).join(', ')}.` : '';
      return { from: start, to: start + word[1].length, markdown: `${what}, e.g. ${code(k.example)}.${takes}` };
    }
  }
  return undefined;
}
