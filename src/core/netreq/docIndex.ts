/**
 * What the resolver needs from the whole document, computed once per document instead of once
 * per block: resolving every block of a 20,000-block file was quadratic (the error filter, the
 * file variables and the request names were rebuilt for each block).
 * The index is rebuilt when the document's arrays are replaced or change length.
 */
import type { Diagnostic, NetreqDocument } from './types';
import { unescapeValue } from './variables';

interface DocIndex {
  blocks: unknown;
  nBlocks: number;
  variables: unknown;
  nVariables: number;
  diagnostics: unknown;
  nDiagnostics: number;
  /** File variables, the last definition of a name winning (as REST Client does), escapes applied. */
  fileVariables: Map<string, string>;
  /** `# @name`s of the blocks. */
  blockNames: Set<string>;
  /** Error diagnostics sorted by start line. */
  errors: Diagnostic[];
}

const cache = new WeakMap<NetreqDocument, DocIndex>();

function indexOf(doc: NetreqDocument): DocIndex {
  const c = cache.get(doc);
  if (
    c &&
    c.blocks === doc.blocks &&
    c.nBlocks === doc.blocks.length &&
    c.variables === doc.variables &&
    c.nVariables === doc.variables.length &&
    c.diagnostics === doc.diagnostics &&
    c.nDiagnostics === doc.diagnostics.length
  ) {
    return c;
  }
  const fileVariables = new Map<string, string>();
  for (const d of doc.variables) fileVariables.set(d.name, unescapeValue(d.value));
  const blockNames = new Set<string>();
  for (const b of doc.blocks) if (b.name !== undefined) blockNames.add(b.name);
  const errors = doc.diagnostics.filter((d) => d.severity === 'error').sort((a, b) => a.span.start.line - b.span.start.line);
  const fresh: DocIndex = {
    blocks: doc.blocks,
    nBlocks: doc.blocks.length,
    variables: doc.variables,
    nVariables: doc.variables.length,
    diagnostics: doc.diagnostics,
    nDiagnostics: doc.diagnostics.length,
    fileVariables,
    blockNames,
    errors,
  };
  cache.set(doc, fresh);
  return fresh;
}

export function fileVariables(doc: NetreqDocument): Map<string, string> {
  return indexOf(doc).fileVariables;
}

export function blockNames(doc: NetreqDocument): Set<string> {
  return indexOf(doc).blockNames;
}

/** The parse errors that start on lines from..to (inclusive), in line order. */
export function errorsBetween(doc: NetreqDocument, from: number, to: number): Diagnostic[] {
  const errors = indexOf(doc).errors;
  let lo = 0;
  let hi = errors.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (errors[mid].span.start.line < from) lo = mid + 1;
    else hi = mid;
  }
  const out: Diagnostic[] = [];
  for (let i = lo; i < errors.length && errors[i].span.start.line <= to; i++) out.push(errors[i]);
  return out;
}
