// Builds the three bundles: the extension host (cjs, node, vscode external),
// the `netreq` CLI, and the webview scripts (browser, iife).
// Usage: node esbuild.mjs [--watch] [--production]
import * as esbuild from 'esbuild';
import { chmodSync, existsSync, readFileSync, readdirSync, rmSync } from 'node:fs';

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
    entryPoints: { 'cli-main': 'src/cli/main.ts' },
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    // ws's optional native helpers: not shipped, so a stub that throws (ws then uses its JavaScript code) instead of
    // a require that searches every node_modules folder up to / at start.
    plugins: [optionalNative],
    define: { NETREQ_VERSION: JSON.stringify(pkg.version) },
  },
  {
    ...common,
    entryPoints: { cli: 'src/cli/launch.ts' },
    outdir: 'dist',
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    banner: { js: '#!/usr/bin/env node' },
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
].filter((b) => Object.values(b.entryPoints).every((p) => existsSync(p)));

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
