#!/usr/bin/env node
// `npm run package`: build the .vsix with vsce (its vscode:prepublish runs the production build), then check
// what is inside: only the files that run (no sources, tests, source maps or node_modules), bundles that
// require nothing outside Node but `vscode` and ws's optional native helpers, and at most 2 MB.
// Offline: vsce needs no network to package.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import { builtinModules } from 'node:module';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as zlib from 'node:zlib';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const MAX_BYTES = 2 * 1024 * 1024;
const say = (line) => process.stdout.write(`[package] ${line}\n`);
const fail = (line) => {
  process.stderr.write(`[package] ${line}\n`);
  process.exitCode = 1;
};

/** What may be in the .vsix (paths inside it). */
const ALLOWED = [
  /^extension\.vsixmanifest$/,
  /^\[Content_Types\]\.xml$/,
  /^extension\/package\.json$/,
  /^extension\/(readme\.md|changelog\.md|license\.txt|license)$/i,
  /^extension\/language-configuration\.json$/,
  /^extension\/dist\/(extension|cli)\.js$/,
  /^extension\/dist\/webview\/[^/]+\.js$/,
  /^extension\/media\/([^/]+\/)?[^/]+\.(css|svg|png)$/,
  /^extension\/syntaxes\/[^/]+\.json$/,
  /^extension\/snippets\/[^/]+\.json$/,
];
/** Files that must be there for the extension to work. */
const REQUIRED = ['extension/package.json', 'extension/dist/extension.js', 'extension/dist/cli.js', 'extension/dist/webview/response.js', 'extension/media/icon.png', 'extension/media/response.css', 'extension/language-configuration.json'];
/** Modules a bundle may require at run time besides Node's own. */
const EXTERNAL_OK = new Set(['vscode', 'bufferutil', 'utf-8-validate']);

function run(cmd, args, timeoutMs) {
  return new Promise((resolve) => {
    // stdin closed: a vsce question (missing LICENSE, repository…) fails at once instead of waiting.
    const child = spawn(cmd, args, { cwd: repo, stdio: ['ignore', 'inherit', 'inherit'] });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      resolve({ code: 127, error: e.message });
    });
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      resolve({ code: code ?? 1, signal });
    });
  });
}

/** The entries of a zip file, from its central directory: name, compressed and uncompressed size, data. */
function readZip(file) {
  const buf = fs.readFileSync(file);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 65535); i--) {
    if (buf.readUInt32LE(i) === 0x06054b50) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new Error(`${file} is not a zip file`);
  const count = buf.readUInt16LE(eocd + 10);
  let p = buf.readUInt32LE(eocd + 16);
  const entries = [];
  for (let n = 0; n < count; n++) {
    if (buf.readUInt32LE(p) !== 0x02014b50) throw new Error(`${file}: broken central directory`);
    const method = buf.readUInt16LE(p + 10);
    const compressed = buf.readUInt32LE(p + 20);
    const size = buf.readUInt32LE(p + 24);
    const nameLen = buf.readUInt16LE(p + 28);
    const extraLen = buf.readUInt16LE(p + 30);
    const commentLen = buf.readUInt16LE(p + 32);
    const local = buf.readUInt32LE(p + 42);
    const name = buf.subarray(p + 46, p + 46 + nameLen).toString('utf8');
    const data = () => {
      const start = local + 30 + buf.readUInt16LE(local + 26) + buf.readUInt16LE(local + 28);
      const raw = buf.subarray(start, start + compressed);
      return method === 8 ? zlib.inflateRawSync(raw) : Buffer.from(raw);
    };
    entries.push({ name, compressed, size, data });
    p += 46 + nameLen + extraLen + commentLen;
  }
  return entries;
}

function kb(n) {
  return n >= 1024 * 1024 ? `${(n / 1024 / 1024).toFixed(2)} MB` : `${(n / 1024).toFixed(1)} KB`;
}

async function main() {
  const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));
  const out = path.join(repo, `${pkg.name}-${pkg.version}.vsix`);
  const vsce = path.join(repo, 'node_modules', '.bin', 'vsce');
  if (!fs.existsSync(vsce)) return fail(`vsce is not installed: run 'npm ci' (it is the devDependency @vscode/vsce)`);
  fs.rmSync(out, { force: true });
  // Relative links in README.md (bench/RESULTS.md…) become links into the repository; vsce only guesses
  // that for GitHub/GitLab, so say where it is (the repository URL from package.json).
  const repoUrl = String(pkg.repository?.url ?? pkg.repository ?? '').replace(/^git\+/, '').replace(/\.git$/, '');
  if (!/^https:\/\//.test(repoUrl)) return fail(`package.json needs a repository URL (https://…) for README links; got '${repoUrl}'`);
  const args = ['package', '--no-dependencies', '--out', out, '--baseContentUrl', `${repoUrl}/blob/HEAD/`, '--baseImagesUrl', `${repoUrl}/raw/HEAD/`];
  say(`vsce ${args.join(' ')}`);
  say('(vsce runs vscode:prepublish first: the production build, minified, no source maps)');
  const t0 = Date.now();
  const r = await run(vsce, args, 5 * 60_000);
  if (r.code !== 0 || !fs.existsSync(out)) return fail(`vsce package failed (${r.error ?? r.signal ?? `exit ${r.code}`}); see its message above`);
  say(`packaged in ${((Date.now() - t0) / 1000).toFixed(1)} s`);

  const entries = readZip(out);
  const width = Math.max(...entries.map((e) => e.name.length));
  say(`${entries.length} files:`);
  for (const e of entries) process.stdout.write(`  ${e.name.padEnd(width)}  ${kb(e.size).padStart(9)}  (${kb(e.compressed)} packed)\n`);

  const unexpected = entries.filter((e) => !ALLOWED.some((re) => re.test(e.name))).map((e) => e.name);
  if (unexpected.length) fail(`files that should not ship (fix .vscodeignore): ${unexpected.join(', ')}`);
  const names = new Set(entries.map((e) => e.name));
  const missing = REQUIRED.filter((n) => !names.has(n));
  if (missing.length) fail(`files missing from the package: ${missing.join(', ')}`);

  for (const e of entries.filter((x) => /^extension\/dist\/.*\.js$/.test(x.name))) {
    const text = e.data().toString('utf8');
    if (/sourceMappingURL=/.test(text)) fail(`${e.name} points at a source map: package the production build (node esbuild.mjs --production)`);
    const required = new Set([...text.matchAll(/\brequire\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]));
    const outside = [...required].filter((m) => !EXTERNAL_OK.has(m) && !builtinModules.includes(m.replace(/^node:/, '')));
    if (outside.length) fail(`${e.name} requires modules that are not in the package: ${outside.join(', ')} (bundle them: esbuild.mjs)`);
  }
  const manifest = JSON.parse(entries.find((e) => e.name === 'extension/package.json').data().toString('utf8'));
  if (!manifest.icon || !names.has(`extension/${manifest.icon.replace(/^\.\//, '')}`)) fail(`package.json's icon (${manifest.icon}) is not in the package`);

  const size = fs.statSync(out).size;
  const unpacked = entries.reduce((s, e) => s + e.size, 0);
  say(`${path.relative(process.cwd(), out) || out}: ${kb(size)} (${kb(unpacked)} unpacked); limit ${kb(MAX_BYTES)}`);
  if (size > MAX_BYTES) fail(`the package is over ${kb(MAX_BYTES)}: look for large files in the list above`);
  if (process.exitCode) fail('the package did not pass its checks (see above)');
  else say(`OK. Install it with: code --install-extension ${path.basename(out)}`);
}

main().catch((e) => fail(`internal error: ${e.message}`));
