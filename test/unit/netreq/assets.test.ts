import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNetreq } from '../../../src/core/netreq';
import { ROOT } from './helpers';

const readJson = (rel: string): Record<string, unknown> => JSON.parse(fs.readFileSync(path.join(ROOT, rel), 'utf8')) as Record<string, unknown>;

interface Rule {
  name?: string;
  match?: string;
  begin?: string;
  end?: string;
  include?: string;
  patterns?: Rule[];
  captures?: Record<string, Rule>;
  beginCaptures?: Record<string, Rule>;
  endCaptures?: Record<string, Rule>;
}

interface Grammar {
  scopeName: string;
  patterns: Rule[];
  repository: Record<string, Rule>;
}

/**
 * Oniguruma → JS: \G and inline (?i:…) groups have no JS equivalent in Node 20; a pattern with
 * (?i:…) is approximated as case-insensitive as a whole (good enough for these checks).
 */
function toJs(re: string): RegExp {
  const insensitive = re.includes('(?i:');
  return new RegExp(re.replace(/\\G/g, '').replace(/\(\?i:/g, '(?:'), insensitive ? 'i' : '');
}

function* rules(rule: Rule): Generator<Rule> {
  yield rule;
  for (const p of rule.patterns ?? []) yield* rules(p);
  for (const caps of [rule.captures, rule.beginCaptures, rule.endCaptures]) for (const c of Object.values(caps ?? {})) yield* rules(c);
}

describe('netreq language assets', () => {
  const grammar = readJson('syntaxes/netreq.tmLanguage.json') as unknown as Grammar;
  const all = [...grammar.patterns, ...Object.values(grammar.repository)].flatMap((r) => [...rules(r)]);

  it('grammar: scopeName, patterns, repository', () => {
    assert.equal(grammar.scopeName, 'source.netreq');
    assert.ok(grammar.patterns.length > 0);
    for (const key of ['separator', 'directive', 'comment', 'file-variable', 'variable', 'http-request', 'socket-request', 'ws-request', 'header', 'ws-message']) {
      assert.ok(grammar.repository[key], `repository.${key}`);
    }
  });

  it('grammar: every include resolves and every scope name ends in .netreq', () => {
    for (const r of all) {
      if (r.include) {
        assert.match(r.include, /^#/);
        assert.ok(grammar.repository[r.include.slice(1)], `missing ${r.include}`);
      }
      if (r.name) for (const scope of r.name.split(' ')) assert.match(scope, /\.netreq$/, scope);
    }
  });

  it('grammar: every regex compiles (as JS, after mapping Oniguruma-only syntax)', () => {
    let n = 0;
    for (const r of all) {
      for (const re of [r.match, r.begin, r.end]) {
        if (re === undefined) continue;
        assert.doesNotThrow(() => toJs(re), re);
        n++;
      }
    }
    assert.ok(n > 20);
  });

  it('grammar: top-level rules pick the right construct for each kind of line', () => {
    const first = (line: string): string => {
      for (const p of grammar.patterns) {
        const key = p.include!.slice(1);
        const r = grammar.repository[key];
        const own = r.match ?? r.begin;
        const tries = own !== undefined ? [own] : r.patterns!.map((x) => x.match!);
        if (tries.some((re) => toJs(re).test(line))) return key;
      }
      return 'none';
    };
    const cases: Array<[string, string]> = [
      ['### Title', 'separator'],
      ['# @name login', 'directive'],
      ['// @timeout 10s', 'directive'],
      ['# @host = commented out', 'comment'],
      ['# plain comment', 'comment'],
      ['@host = 127.0.0.1', 'file-variable'],
      ['TCP 127.0.0.1:7', 'socket-request'],
      ['MULTICAST [ff02::1]:5000', 'socket-request'],
      ['WS ws://a/chat', 'ws-request'],
      ['wss://a/chat', 'ws-request'],
      ['GET http://a/ HTTP/1.1', 'http-request'],
      ['get /x', 'http-request'],
      ['PURGE http://a/', 'http-request'],
      ['https://example.com/', 'bare-url-request'],
      ['{{base}}/users', 'bare-url-request'],
      ['FOO bar', 'unknown-request'],
    ];
    for (const [line, rule] of cases) assert.equal(first(line), rule, line);
    const header = toJs(grammar.repository.header.match!);
    assert.deepEqual(header.exec('Content-Type: application/json')!.slice(1), ['Content-Type', ':', 'application/json']);
    const sys = toJs(grammar.repository.variable.patterns![0].match!);
    assert.ok(sys.test('{{$datetime iso8601 1 d}}'));
    assert.ok(!sys.test('{{$nope}}'));
    const msg = grammar.repository['ws-message'].patterns!.map((p) => toJs(p.match!));
    assert.ok(msg[0].test('>hex 01 02') && !msg[0].test('> hexagon'));
    assert.ok(msg[1].test('> hello'));
  });

  it('language configuration: # comments, brackets, folding from ###', () => {
    const c = readJson('language-configuration.json') as {
      comments: { lineComment: string };
      brackets: string[][];
      autoClosingPairs: Array<{ open: string; close: string }>;
      folding: { markers: { start: string; end: string } };
      wordPattern: string;
    };
    assert.equal(c.comments.lineComment, '#');
    assert.deepEqual(c.brackets, [
      ['{', '}'],
      ['[', ']'],
      ['(', ')'],
    ]);
    assert.deepEqual(c.autoClosingPairs.map((p) => p.open + p.close), ['{}', '[]', '()', '""']);
    assert.equal(c.folding.markers.start, '^###');
    assert.ok(new RegExp(c.folding.markers.start).test('### block'));
    assert.doesNotThrow(() => new RegExp(c.folding.markers.end));
    assert.deepEqual('{{host-name}} $guid'.match(new RegExp(c.wordPattern, 'g')), ['host-name', '$guid']);
  });

  it('snippets: one per request kind, each expanding to a block that parses without errors', () => {
    const snippets = readJson('snippets/netreq.json') as Record<string, { prefix: string | string[]; body: string[]; description: string }>;
    for (const kind of ['GET request', 'POST JSON', 'POST form', 'HEAD HTTP/1.0', 'HTTPS insecure', 'TCP', 'TLS', 'QOTD', 'DAYTIME', 'ECHO', 'UDP', 'MULTICAST', 'WebSocket', 'File variable', 'New block']) {
      assert.ok(snippets[kind], `snippet ${kind}`);
    }
    const settings = JSON.parse(fs.readFileSync(path.join(ROOT, 'examples/.vscode/settings.json'), 'utf8').replace(/^\s*\/\/.*$/gm, '')) as { 'netreq.environments': Record<string, Record<string, string>> };
    const exampleVars = new Set(Object.keys(settings['netreq.environments'].$shared));
    assert.ok(exampleVars.has('host') && exampleVars.has('httpPort'));
    for (const [name, s] of Object.entries(snippets)) {
      assert.ok(s.prefix.length > 0 && s.description.length > 0 && s.body.length > 0, name);
      // Expand placeholders to their defaults (or to a plausible value), then parse.
      const text = s.body
        .join('\n')
        .replace(/\$\{\d+:((?:\\.|[^}\\])*)\}/g, (_m, d: string) => d.replace(/\\(.)/g, '$1'))
        .replace(/\$\{(\d+)\}/g, 'example.com')
        .replace(/\$\d+/g, '');
      const doc = parseNetreq(text);
      // Snippets point at the demo servers through the examples' environment ({{host}}:{{httpPort}}), not at
      // hard-coded ports: those variables are defined there, every other one would be a mistake.
      const errors = doc.diagnostics.filter((d) => d.severity !== 'info' && !(d.code === 'undefined-variable' && d.variable && exampleVars.has(d.variable)));
      assert.deepEqual(errors, [], `${name}: ${text}`);
      if (!['File variable', 'New block'].includes(name)) assert.ok(doc.blocks[0]?.requestLine, `${name} has a request line`);
    }
  });
});
