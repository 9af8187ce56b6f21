/**
 * Body viewer benchmark (issue 11 §2): how long the body editor's text takes for 5 MB and 50 MB of JSON, and the
 * longest the extension host's event loop is blocked meanwhile (perf_hooks.monitorEventLoopDelay, and each slice
 * timed directly). Before: JSON.parse + JSON.stringify(…, 2) in one go; after: bodyDocument() (the sliced
 * re-indenter on the UTF-8 bytes; its output is what the netreq-response: file system hands to the editor). `node out/bench/bodyformat.js [OUT.md]` writes bench/RESULTS-body.md by default.
 * Standalone: not part of `npm run bench`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { prettyJsonBytes } from '../src/common/prettyJson';
import { bodyDocument } from '../src/extension/panels/bodyText';
import { prettyJson as previewTokens } from '../src/shared/syntax';

/** A JSON body of about `bytes`: an array of records, like a typical API listing. */
function jsonBody(bytes: number): Buffer {
  const items: string[] = [];
  let size = 2;
  for (let i = 0; size < bytes; i++) {
    const s = JSON.stringify({ id: i, name: `item ${i}`, tags: ['a', 'b', `t${i % 97}`], price: (i % 1000) / 7, active: i % 3 === 0, owner: { id: i % 500, email: `user${i % 500}@example.com` }, note: 'héllo — “quoted” \\n text' });
    items.push(s);
    size += s.length + 1;
  }
  return Buffer.from(`[${items.join(',')}]`);
}

interface Row {
  label: string;
  totalMs: number;
  maxBlockMs: number;
  maxSliceMs?: number;
  slices?: number;
  outChars: number;
}

const VSCODE_MARK = '## In the real VS Code';

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;

async function measure(label: string, run: (pause: () => Promise<void>) => Promise<number>): Promise<Row> {
  global.gc?.();
  const h = monitorEventLoopDelay({ resolution: 1 });
  let slices = 0;
  let maxSlice = 0;
  let last = performance.now();
  const pause = async () => {
    const now = performance.now();
    maxSlice = Math.max(maxSlice, now - last);
    slices++;
    await new Promise<void>((r) => setImmediate(r));
    last = performance.now();
  };
  // A timer keeps the loop turning, as the extension host's own work does.
  const tick = setInterval(() => undefined, 1);
  h.enable();
  await new Promise((r) => setTimeout(r, 20));
  const t0 = performance.now();
  last = t0;
  const outChars = await run(pause);
  const totalMs = performance.now() - t0;
  maxSlice = Math.max(maxSlice, performance.now() - last);
  await new Promise((r) => setTimeout(r, 20));
  h.disable();
  clearInterval(tick);
  return { label, totalMs, maxBlockMs: h.max / 1e6, maxSliceMs: slices ? maxSlice : undefined, slices: slices || undefined, outChars };
}

async function main(): Promise<void> {
  const out = process.argv[2] ?? path.join(__dirname, '..', '..', 'bench', 'RESULTS-body.md');
  const rows: Row[] = [];
  for (const size of [5, 50]) {
    const body = jsonBody(size * 1024 * 1024);
    const name = `${mb(body.length)} JSON`;
    rows.push(
      await measure(`${name}: before (JSON.parse + JSON.stringify(…, 2) in one go)`, async () => {
        const text = new TextDecoder().decode(body);
        return JSON.stringify(JSON.parse(text), null, 2).length;
      }),
    );
    rows.push(
      await measure(`${name}: after (bodyDocument: the sliced re-indenter on the bytes)`, async (pause) => {
        const r = await bodyDocument(body, 'application/json', { pause });
        if (r.kind !== 'text' || !r.pretty) throw new Error('not pretty');
        return r.bytes.length;
      }),
    );
  }
  const preview = jsonBody(1024 * 1024).toString('utf8');
  const cutPreview = Buffer.from(preview).subarray(0, 1024 * 1024 - 7);
  rows.push(await measure('1 MB preview: prettyJsonBytes (webview, cut preview)', async () => (prettyJsonBytes(cutPreview) as { pretty: Uint8Array }).pretty.length));
  rows.push(await measure('1 MB preview: coloured tokens (webview, whole preview)', async () => previewTokens(preview)?.length ?? 0));

  const lines = [
    '# Body viewer benchmark (issue 11 §2)',
    '',
    `Node ${process.version}, ${new Date().toISOString()}; \`node out/bench/bodyformat.js\` (compile first).`,
    'Max block = the longest event-loop delay seen by `perf_hooks.monitorEventLoopDelay` (resolution 1 ms) while the',
    'work ran; max slice = the longest stretch between two yields, timed directly.',
    '',
    '| Work | Total | Max block | Max slice | Slices | Output |',
    '|---|---:|---:|---:|---:|---:|',
    ...rows.map((r) => `| ${r.label} | ${r.totalMs.toFixed(0)} ms | ${r.maxBlockMs.toFixed(0)} ms | ${r.maxSliceMs !== undefined ? `${r.maxSliceMs.toFixed(1)} ms` : '–'} | ${r.slices ?? '–'} | ${mb(r.outChars)} |`),
    '',
  ];
  // Figures from the real VS Code (integration and e2e runs), kept below the generated table.
  const keep = fs.existsSync(out) ? fs.readFileSync(out, 'utf8').split(VSCODE_MARK)[1] : undefined;
  if (keep !== undefined) lines.push(VSCODE_MARK + keep.replace(/^\n*/, '\n\n'));
  fs.writeFileSync(out, lines.join('\n'));
  process.stdout.write(lines.join('\n'));
}

void main();
