/** Runs a file's blocks end to end for the assert tests: parse, resolve, send to the real peer, evaluate. */
import * as fs from 'node:fs';
import { evaluateAsserts, type AssertOutcome } from '../../../src/core/asserts';
import { createClients } from '../../../src/core/engines';
import type { Exchange } from '../../../src/core/exchange';
import { parseNetreq, resolveBlock } from '../../../src/core/netreq';
import type { Diagnostic, Dialect } from '../../../src/core/netreq/types';
import { sendSpec } from '../../../src/core/protocols/registry';
import { DEFAULT_OPTIONS } from '../../../src/core/request';
import { ConnectionPool } from '../../../src/core/transport/pool';

export interface BlockRun {
  exchange: Exchange;
  outcomes: AssertOutcome[];
}

export interface FileRun {
  diagnostics: Diagnostic[];
  blocks: BlockRun[];
}

/** Every block with a request line, in order, on one pool; a block that does not resolve throws with its diagnostics. */
export async function runText(text: string, opts: { dialect?: Dialect; vars?: Record<string, string>; maxResponseBytes?: number } = {}): Promise<FileRun> {
  const doc = parseNetreq(text, { dialect: opts.dialect });
  const pool = new ConnectionPool();
  const clients = createClients({ pool });
  const blocks: BlockRun[] = [];
  try {
    for (const b of doc.blocks) {
      if (!b.requestLine) continue;
      const r = await resolveBlock(doc, b, {
        processEnv: {},
        readFile: (p) => fs.promises.readFile(p),
        defaults: { ...DEFAULT_OPTIONS, timeoutMs: 10_000, maxResponseBytes: opts.maxResponseBytes ?? DEFAULT_OPTIONS.maxResponseBytes },
        overrides: opts.vars,
      });
      if (!r.ok) throw new Error(`block ${b.index} did not resolve: ${r.diagnostics.map((d) => `${d.span.start.line + 1}: ${d.code} ${d.message}`).join('; ')}`);
      const exchange = await sendSpec(r.request, clients);
      blocks.push({ exchange, outcomes: evaluateAsserts(r.asserts, exchange) });
    }
  } finally {
    pool.dispose();
  }
  return { diagnostics: doc.diagnostics, blocks };
}

/** `[line text without ??, status]` of each outcome: what the tests compare. */
export function statuses(run: BlockRun): Array<[string, string]> {
  return run.outcomes.map((o) => [o.check.text.replace(/^\?\?\s*/, ''), o.status]);
}

/** Asserts written with the status they must give: `?? status == 200  # passed`. */
export function expectations(lines: string[]): { text: string; expected: Array<[string, string]> } {
  const expected: Array<[string, string]> = [];
  const out = lines.map((l) => {
    const m = /^(\?\?.*?)\s+#=>\s+(passed|failed|error)$/.exec(l);
    if (!m) return l;
    expected.push([m[1].replace(/^\?\?\s*/, ''), m[2]]);
    return m[1];
  });
  return { text: out.join('\n'), expected };
}
