/**
 * `netreq run --name x` / `--line n` sends one block: the named requests its request variables need
 * (`{{login.response.body.$.token}}`) go first, in the order planChain gives, each said on stderr.
 * A whole-file run sends in file order and needs none of this: a reference to a later or failed request is the
 * resolver's error.
 */
import { planChain, requestRefs, VariableResolver, blockLine } from '../core/netreq';
import type { Block, NetreqDocument, ResolveContext } from '../core/netreq/types';
import { safeLine } from '../core/text';

export function withPrerequisites(doc: NetreqDocument, block: Block, ctx: ResolveContext, file: string, err: (s: string) => void): Block[] | undefined {
  const plan = planChain(doc, block, () => false, (b) => {
    const vars = new VariableResolver(doc, b, ctx);
    return requestRefs(b, (n) => vars.lookup(n)?.value);
  });
  if (!plan.ok) {
    err(safeLine(`${file}:${blockLine(block)}:1: error: ${plan.message}`));
    return undefined;
  }
  for (const s of plan.steps) {
    err(safeLine(`netreq: sending '${s.block.name}' (line ${blockLine(s.block)}) first for {{${s.ref}}} (line ${blockLine(s.for)})`));
  }
  return [...plan.steps.map((s) => s.block), block];
}
