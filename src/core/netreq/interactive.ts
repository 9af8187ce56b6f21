/**
 * The directives that decide whether and how a block is sent before anything is resolved:
 * - `# @disabled` (httpyac): the block is skipped, never sent; `# @disabled true|false` too; an expression is
 *   JavaScript and refused (httpyac evaluates it).
 * - `# @note` (REST Client): the editor asks REST Client's confirmation before sending.
 * - `# @prompt name [description]` (REST Client): a value asked before sending (an input box in the editor,
 *   `--var name=value` in the CLI); prompt values are secrets (ResolveContext.promptValues).
 * Plain functions of a parsed block, shared by the editor and the CLI.
 */
import { Codes } from './diag';
import type { ValueResult } from './values';
import type { Block, Diagnostic, ResolveContext, Span } from './types';

/** `# @disabled` (alone or `true`) skips the block, `# @disabled false` does not; anything else is JavaScript. */
export function parseDisabled(text: string): ValueResult<boolean> {
  const t = text.trim();
  if (t === '' || t === 'true') return { ok: true, value: true };
  if (t === 'false') return { ok: true, value: false };
  return {
    ok: false,
    message: `httpyac evaluates ${JSON.stringify(t.length > 40 ? `${t.slice(0, 39)}…` : t)} as JavaScript, which NetReq does not run: write # @disabled alone (skip the block), or true / false`,
  };
}

export interface PromptSpec {
  name: string;
  /** The rest of the line (REST Client's input box placeholder); '' when absent. */
  description: string;
}

/** `name [description]`: the name is the first word (REST Client: `@prompt\s+([^\s]+)(?:\s+(.*))?`). */
export function parsePrompt(text: string): ValueResult<PromptSpec> {
  const t = text.trim();
  if (t === '') return { ok: false, message: 'needs a variable name: # @prompt name [description]' };
  const m = /^(\S+)(?:\s+(.*))?$/s.exec(t)!;
  const name = m[1];
  if (/^[$%]|[{}]/.test(name)) return { ok: false, message: `${JSON.stringify(name)} cannot be a variable name: it may not start with $ or % nor contain { or }` };
  return { ok: true, value: { name, description: (m[2] ?? '').trim() } };
}

/** Whether the block is skipped: its last `# @disabled` says so. */
export function isDisabled(block: Block): boolean {
  let on = false;
  for (const d of block.directives) {
    if (d.key !== 'disabled') continue;
    const r = parseDisabled(d.value);
    if (r.ok) on = r.value;
  }
  return on;
}

/** What the editor and the CLI say for a skipped block. */
export const SKIPPED_TEXT = 'skipped: # @disabled';

export interface BlockPrompt extends PromptSpec {
  line: number;
  span: Span;
  /** Ask with a password box (the typed text hidden). */
  masked: boolean;
}

/** REST Client masks exactly these names (selector.ts:280-301). */
const REST_CLIENT_MASKED = new Set(['password', 'Password', 'PASSWORD', 'passwd', 'Passwd', 'PASSWD', 'pass', 'Pass', 'PASS']);
/** NetReq also masks names that end in (or are) a secret-sounding word: token, secret, otp, pin, api key, … */
const SECRET_NAME = /(pass(word|wd)?|pwd|secret|token|otp|pin|api[-_]?key|credentials?)$/i;

export function isMaskedPrompt(name: string): boolean {
  return REST_CLIENT_MASKED.has(name) || SECRET_NAME.test(name);
}

/** The block's `# @prompt` lines in file order (a name asked twice is asked once, at its first line). */
export function blockPrompts(block: Block): BlockPrompt[] {
  const out: BlockPrompt[] = [];
  const seen = new Set<string>();
  for (const d of block.directives) {
    if (d.key !== 'prompt') continue;
    const r = parsePrompt(d.value);
    if (!r.ok || seen.has(r.value.name)) continue;
    seen.add(r.value.name);
    out.push({ ...r.value, line: d.line, span: d.span, masked: isMaskedPrompt(r.value.name) });
  }
  return out;
}

/**
 * REST Client's `# @note` confirmation text (requestController.ts:49-55), or undefined when the block has no
 * `# @note`.
 */
export function noteConfirmation(block: Block): string | undefined {
  if (!block.directives.some((d) => d.key === 'note')) return undefined;
  return block.name !== undefined ? `Are you sure you want to send the request "${block.name}"?` : 'Are you sure you want to send this request?';
}

/**
 * The CLI's answers to a block's prompts: each from `--var name=value`; the prompts without one are returned as
 * `missing` (the CLI cannot ask: an error naming the prompt and the flag).
 */
export function promptAnswersFromVars(block: Block, vars: Readonly<Record<string, string>> | undefined): { values: Record<string, string>; missing: BlockPrompt[] } {
  const values: Record<string, string> = {};
  const missing: BlockPrompt[] = [];
  for (const p of blockPrompts(block)) {
    if (vars && Object.prototype.hasOwnProperty.call(vars, p.name)) values[p.name] = vars[p.name];
    else missing.push(p);
  }
  return { values, missing };
}

/** The message for a prompt the CLI has no value for. */
export function missingPromptMessage(p: BlockPrompt): string {
  return `# @prompt ${p.name} needs a value: the CLI cannot ask, pass --var ${p.name}=VALUE`;
}

/**
 * The resolver's guard (whoever calls it): a `# @disabled` block is never sent, and a `# @prompt` without an answer
 * (ResolveContext.promptValues, or --var in `overrides`) is an error naming the prompt. Undefined: go on.
 */
export function notSent(block: Block, ctx: ResolveContext): Diagnostic[] | undefined {
  if (isDisabled(block)) {
    const d = block.directives.find((x) => x.key === 'disabled')!;
    return [{ span: d.span, severity: 'error', code: Codes.disabledBlock, message: `Not sent (${SKIPPED_TEXT}): remove the directive to send this request` }];
  }
  const out: Diagnostic[] = [];
  for (const p of blockPrompts(block)) {
    const has = (r: Record<string, string> | undefined) => r !== undefined && Object.prototype.hasOwnProperty.call(r, p.name);
    if (!has(ctx.promptValues) && !has(ctx.overrides)) out.push({ span: p.span, severity: 'error', code: Codes.promptNotAnswered, message: missingPromptMessage(p) });
  }
  return out.length > 0 ? out : undefined;
}

/** The defined-names map plus every block's `# @prompt` names (they are defined: asked before sending). */
export function withPrompts(blocks: readonly Block[], varLines: ReadonlyMap<string, number>): ReadonlyMap<string, number> {
  let out: Map<string, number> | undefined;
  for (const b of blocks) {
    for (const d of b.directives) {
      if (d.key !== 'prompt') continue;
      const r = parsePrompt(d.value);
      if (r.ok && !varLines.has(r.value.name)) (out ??= new Map(varLines)).set(r.value.name, d.line);
    }
  }
  return out ?? varLines;
}
