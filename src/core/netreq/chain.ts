/**
 * Which other requests a block needs sent first, for its request variables: the `{{name.response.…}}` /
 * `{{name.request.…}}` it uses directly or through variables (file, request-scoped, environment). The editor sends
 * the ones with no exchange yet in the session before the block (REST Client itself never does: it sends the
 * `{{…}}` literally with a warning; NetReq sends the named request first and says so in the panel).
 * Bounded: variables are followed MAX_VARIABLE_DEPTH deep, each once; at most MAX_CHAIN_DEPTH requests in a
 * chain and MAX_CHAIN_SENDS sent first; a loop between requests is an error naming them.
 */
import { requestVariablePrefix, scanRefs } from './templates';
import { blockLine } from './requestVars';
import type { Block, NetreqDocument } from './types';

/** Longest chain of requests that need each other (a needs b needs c …). */
export const MAX_CHAIN_DEPTH = 16;
/** Most requests sent first for one Send. */
export const MAX_CHAIN_SENDS = 32;
const MAX_VARIABLE_DEPTH = 64;

export interface RequestRef {
  /** The request's `# @name`. */
  request: string;
  /** The reference as written inside the braces, e.g. `login.response.body.$.token`. */
  ref: string;
}

/** The text of a block that `{{…}}` can appear in (what the resolver expands). */
function blockTexts(block: Block): string[] {
  const out: string[] = [];
  if (block.requestLine) out.push(block.requestLine.text);
  for (const d of block.directives) if (d.key !== 'name') out.push(d.value);
  for (const h of block.headers) out.push(h.text ?? `${h.name}: ${h.value}`);
  if (block.body) out.push(block.body.text);
  for (const a of block.asserts) out.push(a.text);
  return out;
}

/**
 * The request variables a block uses, first use first, one per request; `lookup` gives a variable's raw value
 * as the resolver would find it (VariableResolver.lookup), so references inside variables count too.
 */
export function requestRefs(block: Block, lookup: (name: string) => string | undefined): RequestRef[] {
  const out: RequestRef[] = [];
  const seenRequests = new Set<string>();
  const seenVars = new Set<string>();
  const scan = (text: string, depth: number): void => {
    if (text.indexOf('{{') < 0) return;
    for (const r of scanRefs(text).refs) {
      if (r.kind !== 'plain' && r.kind !== 'percent') continue;
      const prefix = requestVariablePrefix(r.name);
      if (prefix !== undefined && lookup(r.name) === undefined) {
        if (!seenRequests.has(prefix)) {
          seenRequests.add(prefix);
          out.push({ request: prefix, ref: r.name });
        }
        continue;
      }
      if (seenVars.has(r.name) || depth >= MAX_VARIABLE_DEPTH) continue;
      seenVars.add(r.name);
      const v = lookup(r.name);
      if (v !== undefined) scan(v, depth + 1);
    }
  };
  for (const t of blockTexts(block)) scan(t, 0);
  return out;
}

export interface ChainStep {
  /** The block to send first. */
  block: Block;
  /** The block that needs it, and the reference that does. */
  for: Block;
  ref: string;
}

export type ChainPlan = { ok: true; steps: ChainStep[] } | { ok: false; message: string };

/**
 * The requests to send before `target`, in an order that sends each one after those it needs (file order among
 * siblings). `has(name)`: the session already holds an exchange of that name (then it is not sent again).
 * `refsOf(block)`: requestRefs of the block with the resolver's variables.
 */
export function planChain(doc: NetreqDocument, target: Block, has: (name: string) => boolean, refsOf: (block: Block) => RequestRef[]): ChainPlan {
  const steps: ChainStep[] = [];
  const planned = new Set<number>();
  const fail = (message: string): ChainPlan => ({ ok: false, message });
  const name = (b: Block): string => `'${b.name ?? b.title ?? `block ${b.index + 1}`}' (line ${blockLine(b)})`;
  const visit = (block: Block, stack: Block[]): ChainPlan | undefined => {
    const deps: Array<{ dep: Block; ref: string }> = [];
    for (const r of refsOf(block)) {
      if (has(r.request)) continue;
      const dep = doc.blocks.find((b) => b.name === r.request);
      if (!dep || dep === block) continue; // unknown name, or its own previous response: the resolver explains
      deps.push({ dep, ref: r.ref });
    }
    deps.sort((a, b) => a.dep.index - b.dep.index);
    for (const { dep, ref } of deps) {
      if (stack.includes(dep)) {
        const loop = [...stack.slice(stack.indexOf(dep)), dep].map(name).join(' → ');
        return fail(`requests need each other's responses in a loop (${loop}, through {{${ref}}}); send one of them on its own first`);
      }
      if (planned.has(dep.index)) continue;
      if (stack.length >= MAX_CHAIN_DEPTH) return fail(`requests need each other more than ${MAX_CHAIN_DEPTH} deep (at ${name(dep)}); send some of them first`);
      const inner = visit(dep, [...stack, dep]);
      if (inner) return inner;
      planned.add(dep.index);
      steps.push({ block: dep, for: block, ref });
      if (steps.length > MAX_CHAIN_SENDS) return fail(`sending ${name(target)} would first send more than ${MAX_CHAIN_SENDS} other requests; send some of them first`);
    }
    return undefined;
  };
  return visit(target, [target]) ?? { ok: true, steps };
}
