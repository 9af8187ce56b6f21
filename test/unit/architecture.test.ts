/**
 * The layers of src/ and what each may import, read from the import statements of every source file
 * (TypeScript's own parser: `import`, `export … from`, `import()`, `require()` and `import("…")` types).
 *
 *   core       plain Node: nothing from shared, common's exception below aside, extension, webview or cli; no vscode.
 *   common     pure helpers with no runtime imports at all (formatting of sizes, durations, clocks, bytes),
 *              runnable in Node and in a webview. The one place core, shared, webview, extension and cli
 *              may all import. Why a folder of its own: core must not import src/shared (the host↔webview
 *              contract) and the webview must not import core, yet both print sizes and durations the same way;
 *              a leaf that imports nothing cannot pull either side's code along, and one copy is kept.
 *   shared     the host↔webview contract: runtime imports from shared and common only; core's data model as
 *              `import type` (erased at build, so no core code reaches a webview bundle); no Node, no vscode.
 *   webview    imports nothing but shared and common (core's types come through src/shared/model.ts).
 *   extension  the VS Code host: nothing from webview (a separate bundle it talks to by messages) or cli.
 *   cli        plain Node: nothing from extension or webview; no vscode.
 *
 * Protocol modules (issue 10): each request kind is a folder src/core/protocols/<id>/ described by one module
 * object, exported by its index.ts. The front ends (extension, cli) and the view layers (shared, common,
 * webview) may import a protocol folder only through that index (or the registry files directly in
 * src/core/protocols/), never a file inside it. The rule is checked on a synthetic file set below, so it
 * bites as soon as such folders exist.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ts from 'typescript';

function repoRoot(): string {
  let dir = __dirname;
  while (!fs.existsSync(path.join(dir, 'package.json'))) {
    const up = path.dirname(dir);
    if (up === dir) throw new Error('package.json not found');
    dir = up;
  }
  return dir;
}

const LAYERS = ['core', 'common', 'shared', 'webview', 'extension', 'cli'] as const;
type Layer = (typeof LAYERS)[number];

interface ImportRef {
  /** As written, e.g. '../../shared/format' or 'node:fs'. */
  spec: string;
  /** Erased at build: `import type`, every named binding `type`, `export type … from`, an `import("…")` type. */
  typeOnly: boolean;
  line: number;
}

/** Every module a source file refers to, with whether the reference survives the build. */
function importsOf(fileName: string, text: string): ImportRef[] {
  const sf = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const out: ImportRef[] = [];
  const add = (lit: ts.Expression | undefined, typeOnly: boolean) => {
    if (lit && ts.isStringLiteralLike(lit)) out.push({ spec: lit.text, typeOnly, line: sf.getLineAndCharacterOfPosition(lit.getStart(sf)).line + 1 });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const c = node.importClause;
      const named = c?.namedBindings;
      const allTypeNames = !!named && ts.isNamedImports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier, !!c && (c.isTypeOnly || (!c.name && allTypeNames)));
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause;
      const allTypeNames = !!named && ts.isNamedExports(named) && named.elements.length > 0 && named.elements.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier, node.isTypeOnly || allTypeNames);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      if (ts.isLiteralTypeNode(arg)) add(arg.literal, true);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      if (callee.kind === ts.SyntaxKind.ImportKeyword || (ts.isIdentifier(callee) && callee.text === 'require')) add(node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return out;
}

/** The layer of a path relative to the repository ('src/core/x.ts' → 'core'), or undefined outside src/<layer>/. */
function layerOf(rel: string): Layer | undefined {
  const m = /^src\/([^/]+)\//.exec(rel);
  return m && (LAYERS as readonly string[]).includes(m[1]) ? (m[1] as Layer) : undefined;
}

/** What `from` may import from `to` (runtime or type-only); undefined when allowed, else why not. */
function layerRule(from: Layer, to: Layer, typeOnly: boolean): string | undefined {
  if (from === to) return undefined;
  if (from === 'common') return typeOnly && to === 'core' ? undefined : `common imports nothing at run time (only core's types), not from ${to}`;
  if (to === 'common') return undefined;
  switch (from) {
    case 'core':
      return `core is plain Node and imports nothing from ${to}`;
    case 'shared':
      if (to === 'core') return typeOnly ? undefined : 'shared takes only types from core (import type), so no core code reaches a webview';
      return `shared is the host↔webview contract and imports nothing from ${to}`;
    case 'webview':
      return to === 'shared' ? undefined : `webview imports nothing but shared and common, not ${to}${to === 'core' ? ' (core types come through src/shared/model.ts)' : ''}`;
    case 'extension':
      return to === 'webview' || to === 'cli' ? `the extension imports nothing from ${to}` : undefined;
    case 'cli':
      return to === 'extension' || to === 'webview' ? `the CLI imports nothing from ${to}` : undefined;
  }
}

/** Layers that must reach a protocol module only through its index.ts. */
const PROTOCOL_CLIENTS: ReadonlySet<Layer> = new Set<Layer>(['extension', 'cli', 'shared', 'common', 'webview']);
const PROTOCOLS_DIR = 'src/core/protocols/';

/** Why importing `target` (a path without extension) from `rel` reaches into a protocol module's internals, if it does. */
function protocolRule(rel: string, target: string): string | undefined {
  if (!target.startsWith(PROTOCOLS_DIR)) return undefined;
  const parts = target.slice(PROTOCOLS_DIR.length).split('/');
  if (parts.length < 2) return undefined; // a registry file in src/core/protocols/, or a folder (its index)
  const id = parts[0];
  const inside = rel.startsWith(`${PROTOCOLS_DIR}${id}/`);
  if (inside || (parts.length === 2 && parts[1] === 'index')) return undefined;
  const layer = layerOf(rel);
  if (!layer || !PROTOCOL_CLIENTS.has(layer)) return undefined;
  return `reaches into the ${id} protocol module (${target}); import its module object from ${PROTOCOLS_DIR}${id} (index.ts) or the registry instead`;
}

/** Modules only the extension host may load. */
const VSCODE_ONLY: ReadonlySet<Layer> = new Set<Layer>(['extension']);
/** Layers that run in a webview too: no Node built-ins, no packages. */
const BROWSER_SAFE: ReadonlySet<Layer> = new Set<Layer>(['shared', 'common', 'webview']);

/** Every broken rule in one file (`rel`: its path from the repository root, with forward slashes). */
function violations(rel: string, text: string): string[] {
  const from = layerOf(rel);
  if (!from) return [];
  const out: string[] = [];
  for (const imp of importsOf(rel, text)) {
    const where = `${rel}:${imp.line} imports '${imp.spec}'`;
    if (!imp.spec.startsWith('.')) {
      if (imp.spec === 'vscode' && !VSCODE_ONLY.has(from)) out.push(`${where}: only src/extension may load vscode`);
      else if (BROWSER_SAFE.has(from) && !imp.typeOnly) out.push(`${where}: ${from} runs in a webview too and loads no Node module or package`);
      continue;
    }
    const target = path.posix.normalize(path.posix.join(path.posix.dirname(rel), imp.spec)).replace(/\.(ts|js)$/, '');
    const to = layerOf(`${target}/`) ?? layerOf(target);
    if (to) {
      const why = layerRule(from, to, imp.typeOnly);
      if (why) out.push(`${where}: ${why}`);
    }
    const p = protocolRule(rel, target);
    if (p) out.push(`${where}: ${p}`);
  }
  return out;
}

function sourcesIn(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? sourcesIn(path.join(dir, e.name)) : e.name.endsWith('.ts') ? [path.join(dir, e.name)] : []));
}

describe('architecture: what each layer of src/ may import', () => {
  const root = repoRoot();
  const files = sourcesIn(path.join(root, 'src')).map((f) => path.relative(root, f).split(path.sep).join('/'));

  it('finds the sources of every layer', () => {
    for (const layer of LAYERS) assert.ok(files.some((f) => layerOf(f) === layer), `no sources in src/${layer}`);
    assert.ok(files.length > 100, `only ${files.length} source files found`);
    assert.deepEqual(
      files.filter((f) => !layerOf(f)),
      [],
      'every source file is in a known layer (a new folder under src/ needs its rules here)',
    );
  });

  for (const layer of LAYERS) {
    it(`src/${layer} keeps its rules`, () => {
      const broken = files.filter((f) => layerOf(f) === layer).flatMap((f) => violations(f, fs.readFileSync(path.join(root, f), 'utf8')));
      assert.deepEqual(broken, []);
    });
  }

  it('the checker sees every form of import, and which ones are erased at build', () => {
    const refs = importsOf(
      'x.ts',
      [
        "import a from './a';",
        "import type { B } from './b';",
        "import { type C, type D } from './c';",
        "import { type E, f } from './e';",
        "import * as g from './g';",
        "export { h } from './h';",
        "export type { I } from './i';",
        "export * from './j';",
        "const k = require('./k');",
        "const l = import('./l');",
        "let m: import('./m').M;",
        "import './n';",
      ].join('\n'),
    );
    assert.deepEqual(
      refs.map((r) => `${r.spec}${r.typeOnly ? ' (type)' : ''}`),
      ['./a', './b (type)', './c (type)', './e', './g', './h', './i (type)', './j', './k', './l', './m (type)', './n'],
    );
  });

  it('bites: each rule on a file that breaks it (and not on one that keeps it)', () => {
    const v = (rel: string, line: string) => violations(rel, line);
    // core
    assert.match(v('src/core/http/client.ts', "import { formatBytes } from '../../shared/format';").join(), /core is plain Node and imports nothing from shared/);
    assert.match(v('src/core/x.ts', "import type { A } from '../extension/a';").join(), /nothing from extension/);
    assert.match(v('src/core/x.ts', "import * as vscode from 'vscode';").join(), /only src\/extension may load vscode/);
    assert.deepEqual(v('src/core/x.ts', "import { formatMs } from '../common/format';"), []);
    // webview
    assert.match(v('src/webview/tabs.ts', "import type { Timings } from '../core/exchange';").join(), /webview imports nothing but shared and common, not core/);
    assert.match(v('src/webview/x.ts', "import { SECTION } from '../extension/config';").join(), /not extension/);
    assert.match(v('src/webview/x.ts', "import * as fs from 'node:fs';").join(), /runs in a webview too/);
    assert.deepEqual(v('src/webview/x.ts', "import { isHostToWebview } from '../shared/messages';\nimport { formatMs } from '../common/format';"), []);
    // shared and common
    assert.match(v('src/shared/x.ts', "import { HttpClient } from '../core/http/client';").join(), /shared takes only types from core/);
    assert.deepEqual(v('src/shared/x.ts', "import type { Timings } from '../core/exchange';"), []);
    assert.match(v('src/common/x.ts', "import { a } from '../shared/messages';").join(), /common imports nothing/);
    // front ends
    assert.match(v('src/cli/x.ts', "import { activate } from '../extension/extension';").join(), /the CLI imports nothing from extension/);
    assert.match(v('src/extension/x.ts', "import { ResponseView } from '../webview/responseView';").join(), /the extension imports nothing from webview/);
  });

  it('bites: a protocol module is reached through its index.ts (or the registry), not its internals', () => {
    const v = (rel: string, line: string) => violations(rel, line);
    assert.match(v('src/extension/requests/dispatch.ts', "import { send } from '../../core/protocols/dns/engine';").join(), /reaches into the dns protocol module/);
    assert.match(v('src/cli/main.ts', "import type { DnsJson } from '../core/protocols/dns/json';").join(), /reaches into the dns protocol module/);
    assert.deepEqual(v('src/extension/requests/dispatch.ts', "import { dns } from '../../core/protocols/dns';"), []);
    assert.deepEqual(v('src/extension/requests/dispatch.ts', "import { dns } from '../../core/protocols/dns/index';"), []);
    assert.deepEqual(v('src/extension/requests/dispatch.ts', "import { moduleFor } from '../../core/protocols/registry';"), []);
    assert.deepEqual(v('src/core/protocols/dns/index.ts', "import { send } from './engine';"), [], 'a module uses its own files');
    // the terminal form and the replay text live in the modules too: the CLI and the traffic panel use the registry or the index
    assert.match(v('src/cli/format.ts', "import { httpText } from '../core/protocols/http/text';").join(), /reaches into the http protocol module/);
    assert.match(v('src/extension/traffic/replay.ts', "export { flowToNetreq } from '../../core/protocols/http/replay';").join(), /reaches into the http protocol module/);
    assert.deepEqual(v('src/cli/format.ts', "import { renderExchange } from '../core/protocols/registry';\nimport { PLAIN } from '../core/protocols/render';"), []);
    assert.deepEqual(v('src/extension/traffic/replay.ts', "export { flowToNetreq } from '../../core/protocols/http';"), []);
  });
});
