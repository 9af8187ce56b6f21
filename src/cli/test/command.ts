/**
 * `netreq test FILE|DIR|GLOB…`: runs the asserted blocks of every file (files in parallel, blocks in file order),
 * prints a report and writes JUnit XML on request. Exit 0 all passed, 1 an assert or request failed, 2 file or
 * usage errors. Loaded only when the command is `test` (main.ts imports it lazily).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_OPTIONS, type RequestOptions } from '../../core/request';
import { createEngines } from '../../core/engines';
import { ConnectionPool } from '../../core/transport/pool';
import { readCaFiles, UsageError } from '../args';
import { COLOR, PLAIN } from '../format';
import { loadEnvironments } from '../settings';
import { secretVariables } from '../../core/netreq/envSources';
import { parseTestArgs } from './args';
import { fileCases, totalsOf, type TestCase } from './cases';
import { findTestFiles } from './files';
import { junitXml } from './junit';
import { Masker } from './mask';
import { jsonBlockLines, jsonTotalsLine, summaryLines, tapLines, totalsLine } from './report';
import { bounded, runFile, type FileResult } from './runner';

export interface TestIo {
  out: (s: string) => void;
  err: (s: string) => void;
  color: boolean;
  env: Record<string, string | undefined>;
  cwd?: string;
  /** Waits between retries (tests pass a quick one). */
  sleep?: (ms: number) => Promise<void>;
}

export async function testCommand(argv: string[], io: TestIo): Promise<number> {
  const started = Date.now();
  let args;
  let files: string[];
  try {
    args = parseTestArgs(argv);
    files = findTestFiles(args.paths);
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`netreq: ${e.message}`);
      return 2;
    }
    throw e;
  }
  // Environments: from --env-file, else the settings file above the first file (as `run` finds it).
  let envs;
  let caCerts: Buffer[];
  try {
    envs = loadEnvironments(files[0], args.envFile);
    caCerts = readCaFiles(args.cacert);
  } catch (e) {
    io.err(`netreq: ${(e as Error).message}`);
    return 2;
  }
  const envName = args.env ?? envs.defaultEnvironment;
  if (envName && !envs.environments[envName]) {
    const names = Object.keys(envs.environments).filter((n) => n !== '$shared');
    io.err(`netreq: no environment '${envName}'${envs.source ? ` in ${envs.source}` : ''}; ${names.length ? `known: ${names.join(', ')}` : 'none is defined'}`);
    return 2;
  }
  const defaults: RequestOptions = { ...DEFAULT_OPTIONS, insecure: args.insecure, noPool: args.noPool, timeoutMs: args.timeoutMs ?? DEFAULT_OPTIONS.timeoutMs, ca: caCerts.length ? caCerts : undefined };
  const pool = new ConnectionPool();
  const engines = createEngines({ pool });
  const masker = new Masker(args.redact);
  const stop = { bailed: false };
  const style = io.color ? COLOR : PLAIN;
  const done: Array<{ file: FileResult; cases: TestCase[] }> = [];
  let results: FileResult[];
  try {
    results = await bounded(files, args.parallel, async (file) => {
      const r = await runFile(file, { args, engines, defaults, environments: envs.environments, envName, secretNames: secretVariables(envs, envName), processEnv: io.env, masker, stop, sleep: io.sleep });
      for (const w of r.warnings) io.err(masker.text(w));
      for (const p of r.problems) io.err(masker.text(p));
      const cases = fileCases(r, masker);
      done.push({ file: r, cases });
      if (args.json) for (const l of jsonBlockLines(r, cases, masker)) io.out(l);
      else if (!args.tap && r.blocks.length > 0) io.out(summaryLines(r, cases, style, masker).join('\n'));
      return r;
    });
  } finally {
    pool.dispose();
  }
  // Reports list files in the order given, whatever order they finished in.
  const ordered = results.map((r) => done.find((d) => d.file === r)!);
  const cases = ordered.flatMap((d) => fileCases(d.file, masker)); // again: secrets found by later files mask earlier ones too
  const totals = totalsOf(results, cases, Date.now() - started);
  const withErrors = results.filter((r) => r.problems.length > 0).length;
  const problems = withErrors > 0;
  if (args.tap) io.out(tapLines(cases).join('\n'));
  else if (args.json) io.out(jsonTotalsLine(totals));
  else io.out(totalsLine(totals, style, stop.bailed, withErrors));
  if (args.junit) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(args.junit)), { recursive: true });
      fs.writeFileSync(args.junit, junitXml(ordered.map((d) => ({ file: d.file, cases: fileCases(d.file, masker) })), totals, io.cwd ?? process.cwd()));
    } catch (e) {
      io.err(`netreq: cannot write ${args.junit}: ${(e as Error).message}`);
      return 2;
    }
  }
  if (problems) return 2;
  if (totals.tests === 0) {
    io.err(`netreq: nothing to test: no block with ?? asserts in ${files.length === 1 ? files[0] : `${files.length} files`}${args.name || args.grep ? ' (after --name/--grep)' : ''}; use --all to run every block, or --fail-on-status 4xx,5xx`);
    return 2;
  }
  return totals.failed + totals.errors > 0 ? 1 : 0;
}
