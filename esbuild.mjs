// Builds the three bundles: the extension host (cjs, node, vscode external),
// the `netreq` CLI, and the webview scripts (browser, iife).
// Usage: node esbuild.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFile } from 'node:fs/promises';

const watch = process.argv.includes('--watch');
const production = process.argv.includes('--production');
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));

const common = {
  bundle: true,
  minify: production,
  sourcemap: production ? false : 'linked',
  logLevel: 'info',
  legalComments: 'none',
};

/** @type {esbuild.Plugin} */
const optionalNative = {
  name: 'optional-native',
  setup(build) {
    build.onResolve({ filter: /^(bufferutil|utf-8-validate)$/ }, (args) => ({ path: args.path, namespace: 'optional-native' }));
    build.onLoad({ filter: /.*/, namespace: 'optional-native' }, (args) => ({ contents: `throw new Error(${JSON.stringify(`${args.path} is not bundled`)});`, loader: 'js' }));
  },
};

/**
 * npm libraries that only some requests use (XPath/XML and JSONPath for request variables and asserts, AWS signing,
 * REST Client form encoding, DNS messages, WebSocket): the CLI bundle leaves them out and loads each from its own file
 * in dist/cli-lib/ on first use (src/core/lazyNode.ts), so a start reads, and V8 deserializes, only the code every
 * command needs (issue 13: CLI start within 1.3x a bare Node start).
 */
const CLI_LIBS = ['jsonpath-plus', 'xpath', '@xmldom/xmldom', 'aws4', 'encodeurl', 'dns-packet', 'ws'];
const requireResolve = createRequire(import.meta.url).resolve;
const cliLibFile = (name) => `${name.replace(/^@[^/]+\//, '')}.js`;

/** @type {esbuild.Plugin} */
const cliLibsApart = {
  name: 'cli-libs-apart',
  setup(build) {
    const names = new Set(CLI_LIBS);
    build.onResolve({ filter: /^[@a-z]/ }, (args) => (names.has(args.path) ? { path: `./cli-lib/${cliLibFile(args.path)}`, external: true } : undefined));
  },
};

/**
 * `import * as fs from 'node:fs'` in a bundle becomes `__toESM(require('node:fs'))`, which copies every export of
 * the module into a new object of getters, once per importing file, when that file is first evaluated (fs has about
 * 100 exports, imported by nine files the CLI loads at start: half a megabyte of young objects and a scavenge at
 * every start). Node's built-ins need no interop, so for the CLI such an import (and a default import such as
 * `import Module from 'node:module'`) is read as `import fs = require('node:fs')`: the same module object.
 */
/** @type {esbuild.Plugin} */
const builtinNamespaces = {
  name: 'builtin-namespaces',
  setup(build) {
    build.onLoad({ filter: /[\\/]src[\\/].*\.ts$/ }, async (args) => {
      const text = await readFile(args.path, 'utf8');
      const contents = text.replace(/^import (?:\* as )?(\w+) from '(node:[\w/]+)';$/gm, "import $1 = require('$2');");
      return { contents, loader: 'ts' };
    });
  },
};

/** @type {esbuild.BuildOptions[]} */
const builds = [
  {
    ...common,
    entryPoints: { extension: 'src/extension/extension.ts' },
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    external: ['vscode', 'bufferutil', 'utf-8-validate'],
  },
  {
    ...common,
    // dist/cli-main.js: the CLI; dist/cli.js (src/cli/launch.ts, the `netreq` program) starts it through V8's code cache.
    // Always minified (a source map beside it in development builds): half the bytes to read and deserialize at start.
    entryPoints: { 'cli-main': 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    plugins: [cliLibsApart, builtinNamespaces],
    define: { NETREQ_VERSION: JSON.stringify(pkg.version) },
  },
  {
    ...common,
    // dist/cli-lib/*.js: one file per library the CLI loads on first use.
    // Each from the file `require` finds (an entry point by name would take the package's ESM "import" export:
    // ws's wrapper.mjs, whose CommonJS form is a namespace object instead of the WebSocket class).
    entryPoints: Object.fromEntries(CLI_LIBS.map((name) => [cliLibFile(name).slice(0, -3), requireResolve(name)])),
    outdir: 'dist/cli-lib',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: true,
    // ws's optional native helpers: not shipped, so a stub that throws (ws then uses its JavaScript code) instead of
    // a require that searches every node_modules folder up to / at start.
    plugins: [optionalNative],
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/launch.ts' },
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
    minify: true,
    plugins: [builtinNamespaces],
    define: { NETREQ_VERSION: JSON.stringify(pkg.version) },
  },
  {
    ...common,
    entryPoints: { response: 'src/webview/response.ts', transcript: 'src/webview/transcript.ts', session: 'src/webview/session.ts', traffic: 'src/webview/traffic.ts' },
    outdir: 'dist/webview',
    platform: 'browser',
    target: 'es2022',
    format: 'iife',
  },
].filter((b) => Object.values(b.entryPoints).every((p) => existsSync(p) || !p.startsWith('src/')));

if (watch) {
  for (const b of builds) {
    const ctx = await esbuild.context(b);
    await ctx.watch();
  }
} else {
  // A production build has no source maps: remove those a development build left, so none ships.
  if (production && existsSync('dist')) {
    for (const f of readdirSync('dist', { recursive: true })) if (String(f).endsWith('.map')) rmSync(`dist/${f}`);
  }
  await Promise.all(builds.map((b) => esbuild.build(b)));
  if (existsSync('dist/cli.js')) chmodSync('dist/cli.js', 0o755);
}
