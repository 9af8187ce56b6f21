/** Runs the CLI in-process, as the tests of src/cli do: what it printed on each stream, and its exit code. */
import { main, type Io } from '../../../src/cli/main';

export interface CliRun {
  code: number;
  out: string;
  err: string;
}

export async function cli(args: string[], env: Record<string, string | undefined> = {}): Promise<CliRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s), color: false, env };
  const code = await main(args, io);
  return { code, out: out.join('\n'), err: err.join('\n') };
}
