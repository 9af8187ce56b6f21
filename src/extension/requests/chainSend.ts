/**
 * Request variables in the editor: each open document has a session store (core SentStore: the newest exchange of
 * each `# @name`, cleared when the document closes), fed by every send from the editor. Before a block is sent,
 * the named requests its `{{name.response.…}}` need (directly or through variables) that have no exchange yet in
 * the session are sent first, in the order core planChain gives (bounded, loops refused), each in its own panel;
 * the block's panel then says so. A request sent first that fails stops the chain, with a message naming both.
 */
import * as vscode from 'vscode';
import type { Exchange } from '../../core/exchange';
import { blockLine, planChain, requestRefs, SentStore, VariableResolver } from '../../core/netreq';
import type { Block, NetreqDocument, ResolveContext } from '../../core/netreq/types';
import { Disposable } from '../lifecycle';

/** One SentStore per open document (by URI). */
export class SessionStores extends Disposable {
  private readonly stores = new Map<string, SentStore>();

  constructor() {
    super();
    this.register(vscode.workspace.onDidCloseTextDocument((d) => this.stores.delete(d.uri.toString())));
  }

  storeFor(uri: vscode.Uri): SentStore {
    const k = uri.toString();
    let s = this.stores.get(k);
    if (!s) this.stores.set(k, (s = new SentStore('session')));
    return s;
  }

  /** Documents with a store (for the tests: closed documents have none). */
  get size(): number {
    return this.stores.size;
  }

  has(uri: vscode.Uri): boolean {
    return this.stores.has(uri.toString());
  }
}

export type StepOutcome = { sent: true; exchange: Exchange } | { sent: false; message: string };

/** A send's outcome as a step of a chain. */
export function stepOutcome(o: { status: 'sent'; exchange: Exchange } | { status: string; message: string }): StepOutcome {
  return o.status === 'sent' && 'exchange' in o ? { sent: true, exchange: o.exchange } : { sent: false, message: 'message' in o ? o.message : o.status };
}

export const NOTHING_FIRST = { ok: true as const, notes: [] as string[] };

/**
 * Sends what `block` needs first. Returns the notes for its panel ("sent 'login' first (line 3) for {{…}}"), or
 * a message saying why the block is not sent.
 */
export async function sendPrerequisites(
  doc: NetreqDocument,
  block: Block,
  store: SentStore,
  context: () => Promise<ResolveContext>,
  send: (b: Block) => Promise<StepOutcome>,
): Promise<{ ok: true; notes: string[] } | { ok: false; message: string }> {
  let ctx: ResolveContext;
  try {
    ctx = await context();
  } catch {
    return NOTHING_FIRST; // the block's own resolve says why (an unreadable CA file)
  }
  const plan = planChain(doc, block, (n) => store.has(n), (b) => {
    const vars = new VariableResolver(doc, b, ctx);
    return requestRefs(b, (n) => vars.lookup(n)?.value);
  });
  if (!plan.ok) return { ok: false, message: plan.message };
  const notes: string[] = [];
  for (const step of plan.steps) {
    const what = `'${step.block.name}' (line ${blockLine(step.block)})`;
    const r = await send(step.block);
    if (!r.sent) return { ok: false, message: `it needs ${what} for {{${step.ref}}}, which could not be sent: ${r.message.replace(/^NetReq: /, '')}` };
    if (r.exchange.error) {
      return { ok: false, message: `it needs ${what} for {{${step.ref}}}, whose request failed (${r.exchange.error.phase}: ${r.exchange.error.message})` };
    }
    if (step.for === block) notes.push(`sent ${what} first for {{${step.ref}}}`);
    else notes.push(`sent ${what} first for {{${step.ref}}} (needed by '${step.for.name}', line ${blockLine(step.for)})`);
  }
  return { ok: true, notes };
}

/** Puts the notes where the block's panel shows them: an HTTP response's notes. */
export function addChainNotes(exchange: Exchange, notes: readonly string[]): void {
  if (notes.length === 0) return;
  if (exchange.kind === 'http' && exchange.response) exchange.response.notes = [...notes, ...(exchange.response.notes ?? [])];
}
