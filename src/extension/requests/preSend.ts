/**
 * What Send asks before a block is resolved, as REST Client and httpyac do:
 * - `# @disabled` (httpyac): nothing is sent; Send says "skipped: # @disabled", Send All counts it as skipped;
 * - `# @prompt name [description]` (REST Client): one input box per prompt, in file order (REST Client's texts:
 *   `Input value for "name"`, the description as placeholder; hidden input for password-like names); Escape on any
 *   box cancels the send; the answers are request-scoped SECRET values (ResolveContext.promptValues);
 * - `# @note` (REST Client): after the prompts, a modal "Are you sure you want to send …?" — only Yes sends.
 * No `vscode` here: the window functions are passed in (SendController.preSendUi), so tests answer the dialogs.
 */
import { blockPrompts, isDisabled, noteConfirmation, SKIPPED_TEXT } from '../../core/netreq';
import type { Block } from '../../core/netreq/types';

export interface PreSendUi {
  showInputBox(options: { prompt: string; placeHolder?: string; password: boolean; ignoreFocusOut: boolean; value?: string }): PromiseLike<string | undefined>;
  /** A modal warning with the given buttons; the chosen one, or undefined when dismissed. */
  confirm(message: string, yes: string, no: string): PromiseLike<string | undefined>;
}

export type PreSend =
  | { go: true; promptValues?: Record<string, string> }
  | { go: false; status: 'skipped' | 'cancelled'; message: string };

export const YES = 'Yes';
export const NO = 'No';

export async function preSend(block: Block, ui: PreSendUi): Promise<PreSend> {
  if (isDisabled(block)) return { go: false, status: 'skipped', message: SKIPPED_TEXT };
  let promptValues: Record<string, string> | undefined;
  for (const p of blockPrompts(block)) {
    const value = await ui.showInputBox({
      prompt: `Input value for "${p.name}"`,
      placeHolder: p.description || undefined,
      password: p.masked,
      ignoreFocusOut: true,
    });
    if (value === undefined) return { go: false, status: 'cancelled', message: `cancelled: no value for # @prompt ${p.name}` };
    (promptValues ??= {})[p.name] = value;
  }
  const note = noteConfirmation(block);
  if (note !== undefined && (await ui.confirm(note, YES, NO)) !== YES) {
    return { go: false, status: 'cancelled', message: 'cancelled: not confirmed (# @note)' };
  }
  return { go: true, promptValues };
}
