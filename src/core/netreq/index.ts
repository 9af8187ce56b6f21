/**
 * The `.netreq` language core: parse, find blocks, resolve them into request specs.
 * Plain Node; the extension and the CLI both use this.
 */
import { Codes } from './diag';
import type { Block, Diagnostic, NetreqDocument } from './types';

export { parseNetreq } from './parser';
export { bodyIndex, bodyLine, dialectForPath } from './dialect';
export { resolveBlock } from './resolve';
export {
  VariableResolver,
  substitute,
  resolveVariable,
  unescapeValue,
  MAX_VALUE_CHARS,
  MAX_EXPANSION_CHARS,
  MAX_VARIABLE_DEPTH,
  type Placement,
  type VariableLookup,
  type VariableSourceName,
} from './variables';
export { scanRefs, SYSTEM_VARIABLES, type VarRef } from './templates';
export { SentStore } from './sentStore';
export { planChain, requestRefs, MAX_CHAIN_DEPTH, MAX_CHAIN_SENDS, type ChainPlan, type ChainStep, type RequestRef } from './chain';
export { parseRequestVarRef, requestVariableValue, blockLine } from './requestVars';
export { listEnvironments, hasEnvironment, environmentVariables, mergeEnvironments, SHARED } from './environments';
export { loadEnvSources, combineLayers, fileLayers, restClientLayer, findRoot, originLabel, nodeEnvReader, MAX_ENV_FILE_BYTES, type EnvReader, type EnvLayer, type EnvOrigin, type CombinedEnvironments, type EnvSourceKind, secretVariables } from './envSources';
export { parseJsonc, JsoncError } from './jsonc';
export { DIRECTIVES, DIRECTIVE_NAMES } from './directives';
export { Codes, MAX_SAME_DIAGNOSTICS, type DiagnosticCode } from './diag';
export { MAX_HEX_PROBLEMS } from './hex';
export { readLocalFile, MAX_STREAMED_FILE_BYTES } from './localFile';
export { HTTP_METHODS, PROTOCOL_WORDS } from './requestLine';
export { blockPrompts, isDisabled, isMaskedPrompt, missingPromptMessage, noteConfirmation, promptAnswersFromVars, SKIPPED_TEXT, type BlockPrompt } from './interactive';
export type * from './types';

/** The block whose line range holds the 0-based `line`, or undefined (e.g. in a preamble with no request). */
export function blockAtLine(doc: NetreqDocument, line: number): Block | undefined {
  const blocks = doc.blocks;
  let lo = 0;
  let hi = blocks.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const b = blocks[mid];
    if (line < b.startLine) hi = mid - 1;
    else if (line > b.endLine) lo = mid + 1;
    else return b;
  }
  return undefined;
}

/**
 * The parser's diagnostics less its "not defined in this file" warnings for variables that are in
 * fact defined elsewhere (the active environment, `$shared`, CLI --var): only the caller knows those.
 */
export function diagnosticsWithKnown(doc: NetreqDocument, known: (name: string) => boolean): Diagnostic[] {
  return doc.diagnostics.filter((d) => !(d.code === Codes.undefinedVariable && d.variable !== undefined && known(d.variable)));
}

/** The first block with `# @name name`. */
export function findBlockByName(doc: NetreqDocument, name: string): Block | undefined {
  return doc.blocks.find((b) => b.name === name);
}

/**
 * Folding ranges for an editor: each block from its first line to its last line with content
 * (trailing blank lines stay visible). Language-configuration markers cannot express "until the
 * next ###", so the extension's FoldingRangeProvider can use this.
 */
export function foldingRanges(doc: NetreqDocument): Array<{ start: number; end: number }> {
  const out: Array<{ start: number; end: number }> = [];
  for (const b of doc.blocks) {
    let last = b.startLine;
    for (const d of b.directives) last = Math.max(last, d.line);
    if (b.requestLine) last = Math.max(last, b.requestLine.line);
    for (const h of b.headers) last = Math.max(last, h.line);
    if (b.body) last = Math.max(last, b.body.endLine);
    if (last > b.startLine) out.push({ start: b.startLine, end: last });
  }
  return out;
}
