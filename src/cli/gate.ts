/**
 * `netreq run`: what happens to a block before it is resolved, for the directives that need a person in the editor:
 * - `# @disabled` (httpyac): skipped, with a line saying so (counted as skipped, not a failure);
 * - `# @note` (REST Client asks "Are you sure…?"): refused unless --yes, since a CI run cannot answer; with --yes it is
 *   sent and a line says it was not asked;
 * - `# @prompt name`: the value comes from --var name=value (the resolver names a prompt without one); it is passed
 *   as a prompt value, which reports treat as a secret.
 */
import { isDisabled, noteConfirmation, promptAnswersFromVars, SKIPPED_TEXT } from '../core/netreq';
import type { Block } from '../core/netreq/types';

export type Gate =
  | { action: 'skip'; message: string }
  | { action: 'refuse'; message: string }
  | { action: 'send'; note?: string; promptValues?: Record<string, string> };

/** The refusals of all the blocks to run, before any is sent (a run does not stop half-way for a # @note). */
export function refusals(blocks: readonly Block[], file: string, vars: Readonly<Record<string, string>>, yes: boolean): string[] {
  const out: string[] = [];
  for (const b of blocks) {
    const g = gateBlock(b, `${file}:${(b.requestLine?.line ?? b.startLine) + 1}`, vars, yes);
    if (g.action === 'refuse') out.push(g.message);
  }
  return out;
}

export function gateBlock(block: Block, where: string, vars: Readonly<Record<string, string>>, yes: boolean): Gate {
  if (isDisabled(block)) return { action: 'skip', message: `${where}: ${SKIPPED_TEXT}` };
  const confirm = noteConfirmation(block);
  if (confirm !== undefined && !yes) {
    return { action: 'refuse', message: `netreq: ${where}: # @note: REST Client asks "${confirm}" before sending; the CLI cannot ask: pass --yes to send it` };
  }
  const { values } = promptAnswersFromVars(block, vars);
  return {
    action: 'send',
    note: confirm !== undefined ? `${where}: # @note: sent without asking (--yes)` : undefined,
    promptValues: Object.keys(values).length > 0 ? values : undefined,
  };
}
