/**
 * Running tests from the Test Explorer and the gutter: the blocks asked for, file by file in file order, each
 * resolved and sent through Send's own path (its panel, History, request variables, the asserts' diagnostics),
 * then each assert passed / failed (a TestMessage.diff of expected and actual at the `??` line) / errored. A
 * WebSocket block's asserts are checked when its session closes: the run waits up to WS_CLOSE_WAIT_MS after the
 * block's messages went out, then closes it (1000). Cancel stops the request under way and skips the rest.
 */
import * as vscode from 'vscode';
import type { AssertOutcome } from '../../core/asserts';
import type { Exchange } from '../../core/exchange';
import type { Block } from '../../core/netreq/types';
import { assertsFigure } from '../../shared/assertMessages';
import { summary, type SendOutcome } from '../requests/sendCommands';
import { parseItemId } from './testExplorer';

/** How long a run waits for a WebSocket session to close by itself once its messages went out (ms). */
export const WS_CLOSE_WAIT_MS = 5000;
export const SHOW_EXCHANGE_COMMAND = 'netreq.showTestExchange';

export interface RunDeps {
  /** The document's blocks as Send sees them. */
  blocks(document: vscode.TextDocument): readonly Block[];
  send(document: vscode.TextDocument, block: Block, signal: AbortSignal): Promise<SendOutcome>;
  /** Closes the block's WebSocket session (the run is done waiting for it). */
  closeSession(uri: vscode.Uri, blockIndex: number): void;
}

/** What a run said of each item (for the tests: the Testing API does not read results back). */
export interface RunRecord {
  id: string;
  state: 'passed' | 'failed' | 'errored' | 'skipped';
  messages: Array<{ text: string; expected?: string; actual?: string; line?: number }>;
}

function text(m: vscode.TestMessage): string {
  return typeof m.message === 'string' ? m.message : m.message.value;
}

/** `run`, with every result also written to `log`. */
function recorded(run: vscode.TestRun, log: RunRecord[]): vscode.TestRun {
  const rec = (id: string, state: RunRecord['state'], m?: vscode.TestMessage | readonly vscode.TestMessage[]) => {
    const list = m === undefined ? [] : Array.isArray(m) ? (m as readonly vscode.TestMessage[]) : [m as vscode.TestMessage];
    log.push({ id, state, messages: list.map((x) => ({ text: text(x), expected: x.expectedOutput, actual: x.actualOutput, line: x.location?.range.start.line })) });
  };
  return Object.assign(Object.create(run) as vscode.TestRun, {
    passed: (t: vscode.TestItem, d?: number) => (rec(t.id, 'passed'), run.passed(t, d)),
    failed: (t: vscode.TestItem, m: vscode.TestMessage | readonly vscode.TestMessage[], d?: number) => (rec(t.id, 'failed', m), run.failed(t, m, d)),
    errored: (t: vscode.TestItem, m: vscode.TestMessage | readonly vscode.TestMessage[], d?: number) => (rec(t.id, 'errored', m), run.errored(t, m, d)),
    skipped: (t: vscode.TestItem) => (rec(t.id, 'skipped'), run.skipped(t)),
    started: (t: vscode.TestItem) => run.started(t),
    appendOutput: (o: string, l?: vscode.Location, t?: vscode.TestItem) => run.appendOutput(o, l, t),
    end: () => run.end(),
  });
}

/** The block items to run, by file (in the order asked), each file's in file order. */
function plan(controller: vscode.TestController, request: vscode.TestRunRequest): Map<string, vscode.TestItem[]> {
  const excluded = new Set((request.exclude ?? []).map((i) => i.id));
  const byFile = new Map<string, Map<string, vscode.TestItem>>();
  const addBlock = (b: vscode.TestItem) => {
    const ref = parseItemId(b.id);
    if (!ref || ref.kind !== 'block' || excluded.has(b.id)) return;
    const key = ref.uri.toString();
    let m = byFile.get(key);
    if (!m) byFile.set(key, (m = new Map()));
    m.set(b.id, b);
  };
  const add = (i: vscode.TestItem) => {
    if (excluded.has(i.id)) return;
    const ref = parseItemId(i.id);
    if (ref?.kind === 'file') i.children.forEach(addBlock);
    else if (ref?.kind === 'block') addBlock(i);
    else if (ref?.kind === 'assert' && i.parent) addBlock(i.parent);
  };
  if (request.include) request.include.forEach(add);
  else controller.items.forEach(add);
  const out = new Map<string, vscode.TestItem[]>();
  for (const [file, m] of byFile) out.set(file, [...m.values()].sort((a, b) => (a.range?.start.line ?? 0) - (b.range?.start.line ?? 0)));
  return out;
}

function children(item: vscode.TestItem): vscode.TestItem[] {
  const out: vscode.TestItem[] = [];
  item.children.forEach((c) => out.push(c));
  return out;
}

function timeout<T>(p: Promise<T>, ms: number): Promise<T | undefined> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  return Promise.race([p, new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), ms)))]).finally(() => clearTimeout(timer));
}

/** A link to the block's panel (the peek view renders it; the command is the only one it may run). */
function panelLink(item: vscode.TestItem, text: string): vscode.MarkdownString {
  const md = new vscode.MarkdownString();
  // Escaped by hand: appendText turns spaces into &nbsp; (the peek view would show them as such).
  md.appendMarkdown(text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&'));
  md.appendMarkdown(`\n\n[Show the exchange](command:${SHOW_EXCHANGE_COMMAND}?${encodeURIComponent(JSON.stringify([item.id]))})`);
  md.isTrusted = { enabledCommands: [SHOW_EXCHANGE_COMMAND] };
  return md;
}

function message(item: vscode.TestItem, text: string, location?: vscode.Location): vscode.TestMessage {
  const m = new vscode.TestMessage(panelLink(item, text));
  m.location = location;
  m.contextValue = 'netreq.exchange';
  return m;
}

export async function runTests(controller: vscode.TestController, request: vscode.TestRunRequest, token: vscode.CancellationToken, deps: RunDeps, log?: RunRecord[]): Promise<void> {
  const real = controller.createTestRun(request);
  const run = log ? recorded(real, log) : real;
  const abort = new AbortController();
  const sub = token.onCancellationRequested(() => abort.abort());
  try {
    for (const [file, items] of plan(controller, request)) {
      const uri = vscode.Uri.parse(file);
      let document: vscode.TextDocument | undefined;
      try {
        document = await vscode.workspace.openTextDocument(uri);
      } catch (err) {
        for (const i of items) run.errored(i, new vscode.TestMessage(`Cannot open ${uri.fsPath || file}: ${err instanceof Error ? err.message : String(err)}`));
        continue;
      }
      const blocks = deps.blocks(document);
      for (const item of items) {
        if (token.isCancellationRequested) {
          run.skipped(item);
          for (const c of children(item)) run.skipped(c);
          continue;
        }
        await runBlock(run, item, document, blocks, deps, abort.signal);
      }
    }
  } finally {
    sub.dispose();
    run.end();
  }
}

async function runBlock(run: vscode.TestRun, item: vscode.TestItem, document: vscode.TextDocument, blocks: readonly Block[], deps: RunDeps, signal: AbortSignal): Promise<void> {
  const ref = parseItemId(item.id);
  const asserts = children(item);
  run.started(item);
  for (const c of asserts) run.started(c);
  const where = new vscode.Location(document.uri, item.range ?? new vscode.Range(0, 0, 0, 0));
  const block = ref?.kind === 'block' ? blocks.find((b) => b.index === ref.blockIndex) : undefined;
  if (!block?.requestLine) {
    run.errored(item, new vscode.TestMessage('The file changed: this block is gone. Refresh the tests.'));
    return;
  }
  const started = Date.now();
  const outcome = await deps.send(document, block, signal);
  if (outcome.status !== 'sent') {
    const text = outcome.message.replace(/^NetReq: /, '');
    run.appendOutput(`✗ ${item.label}: ${text}\r\n`, where, item);
    const m = message(item, text, where);
    for (const c of asserts) run.skipped(c);
    run.errored(item, m);
    return;
  }
  const x = outcome.exchange;
  let outcomes: AssertOutcome[] | undefined;
  if (outcome.asserts) {
    outcomes = await timeout(outcome.asserts.outcomes, x.kind === 'ws' ? WS_CLOSE_WAIT_MS : 60_000);
    if (!outcomes && x.kind === 'ws') {
      deps.closeSession(document.uri, block.index);
      outcomes = await timeout(outcome.asserts.outcomes, WS_CLOSE_WAIT_MS);
    }
  }
  report(run, item, asserts, x, outcomes ?? [], where, Date.now() - started);
}

function report(run: vscode.TestRun, item: vscode.TestItem, asserts: vscode.TestItem[], x: Exchange, outcomes: AssertOutcome[], where: vscode.Location, ms: number): void {
  const byLine = new Map(outcomes.map((o) => [o.check.line, o]));
  const failures: vscode.TestMessage[] = [];
  const lines: Array<[string, vscode.Location]> = [];
  let passed = 0;
  for (const c of asserts) {
    const o = c.range ? byLine.get(c.range.start.line) : undefined;
    const at = new vscode.Location(where.uri, c.range ?? where.range);
    if (!o) {
      const m = message(item, `${c.label}: not checked (the file changed since the tests were found, or the block was not sent)`, at);
      run.errored(c, m);
      failures.push(m);
      lines.push([`${c.label}: not checked`, at]);
    } else if (o.status === 'passed') {
      passed++;
      run.passed(c);
    } else {
      const m = o.status === 'failed' && o.expected !== undefined && o.actual !== undefined ? vscode.TestMessage.diff(panelLink(item, o.message), o.expected, o.actual) : message(item, o.message, at);
      m.location = at;
      m.contextValue = 'netreq.exchange';
      if (o.status === 'failed') run.failed(c, m);
      else run.errored(c, m);
      failures.push(m);
      lines.push([o.message, at]);
    }
  }
  const requestFailed = x.error && x.error.phase !== 'cancelled' ? x.error.message : undefined;
  const line = `${failures.length === 0 ? '✓' : '✗'} ${item.label} · ${summary(x)} · ${assertsFigure({ passed, total: asserts.length })} passed`;
  run.appendOutput(`${line}\r\n`, where, item);
  for (const [text, at] of lines) run.appendOutput(`    ${text} (line ${at.range.start.line + 1})\r\n`, at, item);
  if (x.error?.phase === 'cancelled') run.skipped(item);
  else if (failures.length > 0) run.failed(item, failures, ms);
  else if (requestFailed && outcomes.length === 0) run.errored(item, message(item, requestFailed, where), ms);
  else run.passed(item, ms);
}
