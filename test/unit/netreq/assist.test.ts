// Help while typing: completion and hover as plain data (the VS Code adapters are tested in the real editor by
// test/integration/assist.test.ts).
import { strict as assert } from 'node:assert';
import { completionsAt, hoverAt, type AssistInput } from '../../../src/core/netreq/assist';
import { DIRECTIVE_HELP, SYSTEM_VARIABLE_HELP } from '../../../src/core/netreq/help';
import { DIRECTIVES, DIRECTIVE_NAMES, parseNetreq, SYSTEM_VARIABLES } from '../../../src/core/netreq';
import { KINDS } from '../../../src/core/protocols/kinds';

/** The input at the `|` in `text` (the bar is removed). */
function at(textWithBar: string, env: Partial<AssistInput> = {}): AssistInput {
  const i = textWithBar.indexOf('|');
  assert.ok(i >= 0, 'a | marks the cursor');
  const text = textWithBar.slice(0, i) + textWithBar.slice(i + 1);
  const before = text.slice(0, i).split('\n');
  const lines = text.split('\n');
  return { doc: parseNetreq(text), line: before.length - 1, col: before.at(-1)!.length, lineAt: (l) => lines[l] ?? '', ...env };
}
const labels = (input: AssistInput) => completionsAt(input).map((c) => c.label);

const ENVS = { $shared: { host: '127.0.0.1', port: '8080' }, local: { port: '9090', token: 'abc' } };

describe('netreq assist: completion and hover', () => {
  it('every directive has its documentation, and nothing else does; every system variable has its forms', () => {
    assert.deepEqual(Object.keys(DIRECTIVE_HELP).sort(), [...DIRECTIVE_NAMES].sort());
    assert.deepEqual(Object.keys(SYSTEM_VARIABLE_HELP).sort(), [...SYSTEM_VARIABLES].sort());
  });

  it('# @ offers every directive, those that apply to the block first, with their value hint and where they apply', () => {
    const cs = completionsAt(at('# @|\nUDP 127.0.0.1:9'));
    assert.equal(cs.length, DIRECTIVE_NAMES.length);
    const ttl = cs.find((c) => c.label === '@ttl')!;
    const replies = cs.find((c) => c.label === '@replies')!;
    assert.equal(ttl.rank, 1, 'ttl is for MULTICAST only');
    assert.equal(replies.rank, 0);
    assert.equal(replies.insert, '@replies ');
    assert.match(replies.detail!, /^N · UDP, MULTICAST$/);
    assert.equal(cs.find((c) => c.label === '@name')!.detail, 'id · every request');
    // `//` comments too, and the replaced text starts at the @.
    const c2 = completionsAt(at('// @ti|'));
    assert.equal(c2.find((c) => c.label === '@timeout')!.from, 3);
  });

  it('a directive value: the words its parser takes', () => {
    assert.deepEqual(labels(at('# @eol c|\nTCP h:1')), ['crlf', 'lf', 'none']);
    assert.equal(completionsAt(at('# @eol c|'))[0].from, 7);
    assert.deepEqual(labels(at('# @loopback |')), ['on', 'off']);
    assert.deepEqual(labels(at('# @timeout |')), []);
  });

  it('the request line: HTTP methods and every protocol word of the registry, with an example', () => {
    const l = labels(at('###\nG|'));
    assert.ok(l.includes('GET') && l.includes('POST'));
    for (const k of KINDS) if (k.word) assert.ok(l.includes(k.word), k.word);
    assert.equal(completionsAt(at('QO|')).find((c) => c.label === 'QOTD')!.detail, KINDS.find((k) => k.word === 'QOTD')!.example);
    // Not on a header or body line, not after a request line.
    assert.deepEqual(labels(at('GET http://h/\n\nbod|')), []);
  });

  it('headers after an HTTP request line: names, then values for the common ones; none in the body or for TCP', () => {
    const names = labels(at('GET http://h/\nAccept: */*\nCon|'));
    assert.ok(names.includes('Content-Type') && names.includes('Authorization'));
    assert.equal(completionsAt(at('GET http://h/\nCo|')).find((c) => c.label === 'Content-Type')!.insert, 'Content-Type: ');
    assert.ok(labels(at('POST http://h/\nContent-Type: app|')).includes('application/json'));
    assert.equal(completionsAt(at('POST http://h/\nContent-Type: app|'))[0].from, 14);
    assert.deepEqual(labels(at('POST http://h/\n\nCon|')), [], 'after the blank line it is the body');
    assert.deepEqual(labels(at('TCP 127.0.0.1:7\nCon|')), [], 'a TCP payload has no headers');
    assert.ok(labels(at('WS ws://h/\nSec|')).includes('Sec-WebSocket-Protocol'));
  });

  it('{{ offers file variables, the active environment and $shared with their values, then system variables', () => {
    const input = at('@base = http://{{host}}:{{port}}\n###\nGET {{|', { environments: ENVS, environmentName: 'local' });
    const cs = completionsAt(input);
    const byLabel = new Map(cs.map((c) => [c.label, c]));
    assert.equal(byLabel.get('base')!.detail, 'http://{{host}}:{{port}}');
    assert.match(byLabel.get('base')!.doc!, /^file variable, line 1$/);
    assert.equal(byLabel.get('port')!.detail, '9090', 'the active environment wins over $shared');
    assert.equal(byLabel.get('port')!.doc, 'environment `local`');
    assert.equal(byLabel.get('host')!.doc, '`$shared` environment');
    assert.ok(byLabel.has('$guid') && byLabel.has('$randomInt 1 100') && byLabel.has('$datetime iso8601'));
    // After {{$ only system variables; after {{% only variables, replaced after the %.
    assert.ok(labels(at('GET http://h/{{$d|')).every((l) => l.startsWith('$')));
    const pct = completionsAt(at('@q = 1\nGET http://h/?x={{%q|'));
    assert.deepEqual(pct.map((c) => c.label), ['q']);
    assert.equal(pct[0].from, 'GET http://h/?x={{%'.length);
    // A closed reference or text after `{{$datetime "` is not completed.
    assert.deepEqual(labels(at('GET http://h/{{$datetime "YY|')), []);
  });

  it('hover: a variable defined twice shows the last definition, the one that is used (REST Client)', () => {
    const text = '@base = http://first\n###\nGET {{ba|se}}/\n###\n@base = http://last\nGET http://h/';
    assert.equal(hoverAt(at(text))!.markdown, '`base` = `http://last`\n\nFrom the file variable, line 5.');
  });

  it('hover: a variable says its value and where it comes from, or that it is not defined', () => {
    const text = '@base = http://x\n###\nGET {{base}}/{{port}}/{{nope}}/{{$guid}}/{{%base}}';
    const h = (needle: string) => hoverAt(at(text.replace(needle, needle.slice(0, 3) + '|' + needle.slice(3)), { environments: ENVS }));
    assert.equal(h('{{base}}')!.markdown, '`base` = `http://x`\n\nFrom the file variable, line 1.');
    assert.match(h('{{port}}')!.markdown, /^`port` = `8080`\n\nFrom the `\$shared` environment\.$/);
    assert.match(h('{{nope}}')!.markdown, /^`nope` is not defined here/);
    assert.match(h('{{$guid}}')!.markdown, /^\*\*System variable\*\* `\$guid`: A random UUID v4/);
    assert.match(h('{{%base}}')!.markdown, /inserted percent-encoded/);
    const span = h('{{base}}')!;
    assert.deepEqual([span.from, span.to], [4, 12]);
  });

  it('hover: a directive shows its use and documentation; a request word its kind, example and directives', () => {
    const d = hoverAt(at('# @ti|meout 5s\nGET http://h/'))!;
    assert.match(d.markdown, /^`# @timeout 10s` — applies to every request\n\nBound on the whole request/);
    assert.deepEqual([d.from, d.to], [2, 10]);
    const w = hoverAt(at('MULTI|CAST 239.1.2.3:5000'))!;
    assert.match(w.markdown, /^MULTICAST request, e\.g\. `MULTICAST .*`\.\n\nDirectives for it: .*`@ttl`/);
    assert.match(hoverAt(at('PO|ST http://h/'))!.markdown, /^HTTP `POST` request/);
    assert.equal(hoverAt(at('GET http://h/\nAccept: |x')), undefined);
    // Unknown directive: nothing (the diagnostic speaks).
    assert.equal(hoverAt(at('# @nonsen|se\nGET http://h/')), undefined);
  });

  it('hostile input: a huge line and values are bounded in what is shown', () => {
    const big = 'x'.repeat(100_000);
    const h = hoverAt(at(`@v = ${big}\nGET http://h/{{v|}}`))!;
    assert.ok(h.markdown.length < 400, `${h.markdown.length}`);
    assert.ok(DIRECTIVES.timeout);
  });
});
