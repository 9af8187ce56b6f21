/** `netreq envs FILE`: the environments a request file sees in the CLI, their variables and where each comes from. */
import { originLabel } from '../core/netreq/envSources';
import { safeLine } from '../core/text';
import type { EnvsArgs } from './args';
import { loadEnvironments } from './settings';

export const NO_ENVIRONMENTS =
  'none is defined (netreq.environments or rest-client.environmentVariables in .vscode/settings.json, http-client.env.json, .env.NAME next to a .http file, or --env-file)';

export function envsCommand(args: EnvsArgs, io: { out: (s: string) => void; err: (s: string) => void }): number {
  let envs;
  try {
    envs = loadEnvironments(args.file, args.envFile);
  } catch (e) {
    io.err(`netreq: ${safeLine((e as Error).message)}`);
    return 2;
  }
  for (const w of envs.warnings) io.err(`netreq: ${safeLine(w)}`);
  const names = Object.keys(envs.environments);
  if (names.length === 0) {
    io.out(`No environments for ${args.file}: ${NO_ENVIRONMENTS}.`);
    return 0;
  }
  io.out(`Environments for ${args.file} (sources listed lowest precedence first; * = secret, value not shown):`);
  const ordered = [...names.filter((n) => n === '$shared'), ...names.filter((n) => n !== '$shared')];
  for (const name of ordered) {
    const vars = Object.keys(envs.environments[name]).map((k) => (envs.secretNames[name]?.has(k) ? `${k}*` : k));
    const def = name === envs.defaultEnvironment ? ' (default: netreq.defaultEnvironment)' : '';
    io.out(`${safeLine(name)}${def}: ${vars.length} variable${vars.length === 1 ? '' : 's'}${vars.length ? ` (${safeLine(vars.join(', '))})` : ''}`);
    for (const o of envs.origins[name] ?? []) io.out(`  from ${safeLine(originLabel(o, true))}`);
  }
  return 0;
}
