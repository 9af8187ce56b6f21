/**
 * The requests of one file already sent, by `# @name` (the newest exchange of each name): what request variables
 * read (ResolveContext.sent). `netreq run` / `netreq test` keep one per run; the editor one per open document.
 * Memory: one exchange per name (a name sent again replaces the older one).
 */
import type { Exchange } from '../exchange';
import type { RequestSpec } from '../request';
import type { Block, SentRequest, SentRequests } from './types';

export class SentStore implements SentRequests {
  private readonly byName = new Map<string, SentRequest>();

  constructor(readonly scope: 'run' | 'session' = 'run') {}

  get(name: string): SentRequest | undefined {
    return this.byName.get(name);
  }

  /** Keeps the exchange of a named block (an unnamed block cannot be referred to: nothing is kept). */
  record(block: Pick<Block, 'index' | 'name'>, spec: RequestSpec, exchange: Exchange): void {
    if (block.name === undefined) return;
    this.byName.set(block.name, { block: block.index, spec, exchange });
  }

  has(name: string): boolean {
    return this.byName.has(name);
  }

  delete(name: string): void {
    this.byName.delete(name);
  }

  clear(): void {
    this.byName.clear();
  }

  get size(): number {
    return this.byName.size;
  }
}
