/**
 * The CLI's terminal styles and its entry to the protocol modules' renderers (`render` in each module,
 * src/core/protocols/<id>/text.ts). Network bytes never reach the terminal raw: the renderers escape text from
 * outside before they style it, and the CLI's sink (`terminalIo` in main.ts) escapes everything again,
 * keeping only the colour codes of `COLOR`.
 */
import type { Exchange } from '../core/exchange';
import { summarizeAsserts, type AssertOutcome } from '../core/asserts/types';
import { renderExchange } from '../core/protocols/registry';
import { asText, PLAIN, type Style } from '../core/protocols/render';
import { chunkText, safeLine, safeText } from '../core/text';

export { asText, chunkText, PLAIN, safeLine, safeText, type Style };

const wrap = (a: number, b: number) => (s: string) => `\x1b[${a}m${s}\x1b[${b}m`;
/** ANSI colours (the only SGR codes the sink lets through: core/text.ts OWN_SGR). */
export const COLOR: Style = { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39), yellow: wrap(33, 39), cyan: wrap(36, 39) };

/** Any exchange for the terminal, rendered by the protocol module that made it. */
export function formatAnyExchange(x: Exchange, header: string, style: Style, verbose: boolean): string {
  return renderExchange(x, style, { header, verbose });
}

/** `netreq run`: each assert's result after its exchange, then "3/4 asserts passed". */
export function formatAsserts(outcomes: readonly AssertOutcome[], style: Style): string {
  const lines = outcomes.map((o) => (o.status === 'passed' ? `  ${style.green('✓')} ${safeLine(o.check.text)}` : `  ${style.red('✗')} ${safeLine(o.message)}`));
  const s = summarizeAsserts(outcomes);
  lines.push(`  ${s.passed === s.total ? style.green(`${s.passed}/${s.total} asserts passed`) : style.red(`${s.passed}/${s.total} asserts passed`)}`);
  return lines.join('\n');
}
