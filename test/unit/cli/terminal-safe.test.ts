// Terminal-safe output everywhere: every path that prints text from outside (a peer's reason phrase, close
// reason, error, payload; a proxy client's target; a file's text) is fed hostile bytes by a real loopback peer,
// and what the CLI writes must hold no raw control, C1, bidi or invisible character. The escape function and the
// task terminals' line builders are unit-tested at the end.
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { WebSocketServer } from 'ws';
import { main, type Io } from '../../../src/cli/main';
import { chunkText, hasUnsafe, internalErrorText, jsonLine, plainText, safeLine, safeText, utf8Text } from '../../../src/core/text';
import { MulticastClient } from '../../../src/core/sockets/udp';
import { datagramLine, LogWriter, proxyFlowLine, ANSI } from '../../../src/extension/tasks/logLines';
import { tempDir } from '../../support/peers';
import { rawServer, sleep, type RawServer } from '../../support/servers';
import { freeUdpPort, multicastSpec } from '../../support/sockets';
import { fakeDatagram, fakeFlow, FakeTimers } from '../traffic/fixtures';

/** Retitles the terminal, writes the clipboard (OSC 52), a C1 CSI, and reverses what follows (RLO, RLI). */
const HOSTILE_TEXT = '\x1b]0;owned\x07 \x1b]52;c;b3duZWQ=\x07 \u009b31m \u202egpj.exe\u2066 \u200bx\ufeff';
/** The same as bytes, the way a peer sends them in a head (C1 as the single byte 0x9b, RLO as UTF-8). */
const HOSTILE_BYTES = Buffer.concat([Buffer.from('\x1b]0;owned\x07 \x1b]52;c;b3duZWQ=\x07 ', 'latin1'), Buffer.from([0x9b]), Buffer.from('31m \u202egpj.exe', 'utf8')]);
/** How the title sequence reads once escaped: proof that the hostile bytes reached the output, made visible. */
const ESCAPED = /\\x1b\]0;owned\\x07/;

// eslint-disable-next-line no-control-regex
const RAW = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200b\u200e\u200f\u2028-\u202e\u2060-\u2064\u2066-\u2069\ufeff\ufff9-\ufffb]|\p{Cs}/u;
/** The colour codes the CLI itself writes (bold, dim, red, green, yellow, cyan, resets). */
// eslint-disable-next-line no-control-regex
const OWN_SGR = /\x1b\[(?:1|2|22|31|32|33|36|39)m/g;

function assertClean(text: string, what: string): void {
  const m = RAW.exec(text);
  if (m) assert.fail(`${what}: raw U+${m[0].codePointAt(0)!.toString(16).padStart(4, '0')} at ${m.index}: ${JSON.stringify(text.slice(Math.max(0, m.index - 40), m.index + 40))}`);
}

interface Run {
  code: number;
  out: string;
  err: string;
}

function service(args: string[], opts: { color?: boolean; cwd?: string } = {}) {
  const out: string[] = [];
  const err: string[] = [];
  let stop!: (why: string) => void;
  const stopped = new Promise<string>((r) => (stop = r));
  const io: Io = { out: (s) => out.push(s), err: (s) => err.push(s), color: opts.color ?? false, env: {}, untilStopped: () => stopped, cwd: opts.cwd };
  const done = main(args, io).then((code): Run => ({ code, out: out.join('\n'), err: err.join('\n') }));
  const svc = { out, err, stop, done };
  running.add(svc);
  void done.finally(() => running.delete(svc));
  return svc;
}
/** Services still running: a failed test stops its own in afterEach, so mocha is never left waiting on a socket. */
const running = new Set<{ stop: (why: string) => void; done: Promise<Run> }>();

const cli = (args: string[], color = false) => service(args, { color }).done;

/** Runs the CLI both without and with colour; with colour, only the CLI's own colour codes may be there. */
async function runBoth(args: string[], what: string): Promise<Run> {
  const plain = await cli(args, false);
  assertClean(plain.out, `${what} (stdout)`);
  assertClean(plain.err, `${what} (stderr)`);
  assert.ok(!plain.out.includes('\x1b') && !plain.err.includes('\x1b'), `${what}: no ESC at all without colour`);
  const colored = await cli(args, true);
  assertClean(colored.out.replace(OWN_SGR, ''), `${what} (stdout, colour)`);
  assertClean(colored.err.replace(OWN_SGR, ''), `${what} (stderr, colour)`);
  return plain;
}

async function waitFor(pred: () => boolean, what: string, ms = 5000): Promise<void> {
  for (let t = 0; t < ms; t += 25) {
    if (pred()) return;
    await sleep(25);
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('terminal-safe output: hostile bytes on every path the CLI prints', function () {
  this.timeout(20_000);
  let dir: string;
  const servers: { close(): Promise<void> | void }[] = [];

  before(() => {
    dir = tempDir('terminal-safe');
  });
  afterEach(async () => {
    for (const s of [...running]) {
      s.stop('SIGINT');
      await s.done;
    }
  });
  after(async () => {
    for (const s of servers) await s.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  function write(name: string, text: string | Buffer): string {
    const p = path.join(dir, name);
    fs.writeFileSync(p, text);
    return p;
  }

  async function raw(answer: Buffer | ((s: net.Socket) => void)): Promise<RawServer> {
    const s = await rawServer((socket) => (Buffer.isBuffer(answer) ? socket.end(answer) : answer(socket)));
    servers.push(s);
    return s;
  }

  /** An HTTP answer whose reason phrase, a header value and the body carry the hostile bytes. */
  const hostileResponse = (status: number) => {
    const body = Buffer.concat([Buffer.from('body '), HOSTILE_BYTES, Buffer.from('\r\nnext line\rover')]);
    return Buffer.concat([Buffer.from(`HTTP/1.1 ${status} `), HOSTILE_BYTES, Buffer.from('\r\nX-Evil: '), HOSTILE_BYTES, Buffer.from(`\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n`), body]);
  };

  it('netreq run: an HTTP reason phrase, header and body (also -v and --json)', async () => {
    const peer = await raw(hostileResponse(200));
    const file = write('http.netreq', `### hostile ${HOSTILE_TEXT}\nGET http://127.0.0.1:${peer.port}/\n`);
    const r = await runBoth(['run', file], 'run');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`HTTP/1\\.1 200 ${ESCAPED.source}`));
    assert.match(r.out, /\\x9b31m/, 'the C1 CSI byte is shown as \\x9b');
    assert.match(r.out, /X-Evil: \\x1b/);
    await runBoth(['run', file, '-v'], 'run -v');
    const j = await cli(['run', file, '--json']);
    assertClean(j.out, 'run --json');
    const parsed = JSON.parse(j.out);
    assert.equal(parsed.exchange.response.reason, HOSTILE_BYTES.toString('latin1'), 'the JSON still carries the exact reason phrase');
  });

  it('netreq run: a `# @proxy` that refuses the tunnel with a hostile reason phrase', async () => {
    const proxy = await raw(Buffer.concat([Buffer.from('HTTP/1.1 403 '), HOSTILE_BYTES, Buffer.from('\r\nContent-Length: 0\r\n\r\n')]));
    const file = write('proxy.netreq', `# @proxy http://127.0.0.1:${proxy.port}\nGET http://127.0.0.1:9/\n`);
    const r = await runBoth(['run', file], 'run @proxy');
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`refused the tunnel to 127\\.0\\.0\\.1:9: 403 ${ESCAPED.source}`));
  });

  it('netreq run: a WebSocket handshake refused with a hostile reason phrase', async () => {
    const peer = await raw(Buffer.concat([Buffer.from('HTTP/1.1 403 '), HOSTILE_BYTES, Buffer.from('\r\nContent-Length: 5\r\nConnection: close\r\n\r\nnope\x1b')]));
    const file = write('ws-refused.netreq', `WS ws://127.0.0.1:${peer.port}/\n\n> hi\n`);
    const r = await runBoth(['run', file], 'run WS refused');
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`^403 ${ESCAPED.source}`, 'm'));
    assert.match(r.out, new RegExp(`handshake failed: the server answered 403 ${ESCAPED.source}`));
  });

  it('netreq run: a WebSocket closed with a hostile reason (OSC 52 clipboard write, C1, bidi)', async () => {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    servers.push({ close: () => new Promise<void>((r) => wss.close(() => r())) });
    await new Promise((r) => wss.once('listening', r));
    wss.on('connection', (ws) => ws.on('message', (m) => (String(m) === 'close' ? ws.close(4000, HOSTILE_TEXT) : ws.send(`echo ${HOSTILE_TEXT}\r\nline`))));
    const file = write('ws-close.netreq', `WS ws://127.0.0.1:${(wss.address() as net.AddressInfo).port}/\n\n> hello\n# @wait 200ms\n> close\n# @wait 2s\n`);
    const r = await runBoth(['run', file], 'run WS close');
    assert.match(r.out, new RegExp(`closed by server: 4000 application-defined: ${ESCAPED.source} \\\\x1b\\]52;c;b3duZWQ=\\\\x07 \\\\x9b31m \\\\u202egpj\\.exe\\\\u2066`));
  });

  it('netreq run: bytes a TCP peer sends, and its error', async () => {
    const sockets: net.Socket[] = [];
    const peer = net.createServer((s) => {
      sockets.push(s.on('error', () => undefined));
      s.end(Buffer.concat([HOSTILE_BYTES, Buffer.from('\r\n')]));
    });
    servers.push({ close: () => new Promise<void>((r) => (sockets.forEach((s) => s.destroy()), peer.close(() => r()))) });
    await new Promise<void>((r) => peer.listen(0, '127.0.0.1', r));
    const file = write('tcp.netreq', `TCP 127.0.0.1:${(peer.address() as net.AddressInfo).port}\n\nhi\n`);
    const r = await runBoth(['run', file], 'run TCP');
    assert.match(r.out, ESCAPED);
  });

  it('netreq run: parse errors quoting the file\'s text', async () => {
    const file = write('bad.netreq', Buffer.concat([Buffer.from('# @'), HOSTILE_BYTES, Buffer.from(' x\nGET http://127.0.0.1:9/\n\n###\n@'), HOSTILE_BYTES, Buffer.from('\nPOST\x1b]0;owned\x07 http://x/\n')]));
    const r = await runBoth(['run', file], 'run parse error');
    assert.equal(r.code, 2);
    assert.match(r.err, new RegExp(`bad\\.netreq:\\d+:\\d+: error: .*${ESCAPED.source}`));
  });

  it('netreq health: the error column and a check name from the config; --json too', async () => {
    const peer = await raw(hostileResponse(500));
    const cfg = write('checks.json', JSON.stringify([{ name: `web ${HOSTILE_TEXT}`, target: `http://127.0.0.1:${peer.port}/` }]));
    const r = await runBoth(['health', '--config', cfg], 'health');
    assert.equal(r.code, 1);
    assert.match(r.out, new RegExp(`status 500 ${ESCAPED.source}`));
    const j = await cli(['health', '--config', cfg, '--json']);
    assertClean(j.out, 'health --json');
    // The config validator trims names, and JavaScript's trim() also drops the trailing U+FEFF.
    assert.equal(JSON.parse(j.out).checks[0].name, `web ${HOSTILE_TEXT}`.trim());
  });

  it('a config file that is not JSON cannot forge a line: the quote of its text by the JSON parser stays on one line (health --config, run --env-file)', async () => {
    const forged = write('forged.json', 'x\n\n3/3 healthy (100%)\n');
    const h = await runBoth(['health', '--config', forged], 'health bad JSON');
    assert.equal(h.code, 2);
    assert.equal(h.err.split('\n').length, 1, h.err);
    assert.match(h.err, /forged\.json: not valid JSON \(.*x\\n\\n3\/3 hea/);
    const file = write('plain.netreq', 'GET http://127.0.0.1:9/\n');
    const r = await runBoth(['run', file, '--env-file', forged], 'run --env-file bad JSON');
    assert.equal(r.code, 2);
    assert.equal(r.err.split('\n').length, 1, r.err);
    // The environment loader's JSONC reader names the place and quotes one printable character at most.
    assert.match(r.err, /forged\.json:1:1: expected a value, found 'x'$/);
  });

  it('netreq proxy: a hostile target refused in words, bidi and C1 in an accepted target, and an upstream\'s hostile bytes in the flow\'s error', async () => {
    const upstream = await raw(hostileResponse(200));
    const broken = await raw(Buffer.concat([Buffer.from('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n'), HOSTILE_BYTES, Buffer.from('\r\n\r\n')]));
    const s = service(['proxy', '--port', '0']);
    await waitFor(() => s.out.some((l) => l.startsWith('NetReq proxy on')), 'the proxy');
    const port = Number(/:(\d+) /.exec(s.out[0])![1]);
    const send = (bytes: Buffer) =>
      new Promise<string>((resolve) => {
        const c = net.connect(port, '127.0.0.1', () => c.write(bytes));
        let got = '';
        c.on('data', (d) => (got += d.toString('latin1')));
        c.on('error', () => undefined);
        c.on('close', () => resolve(got));
      });
    // ESC and BEL in a target (`GET http://x/\e]0;owned\a`): refused with 400, and the refusal is logged escaped.
    const refused = await send(Buffer.from(`GET http://127.0.0.1:${upstream.port}/\x1b]0;owned\x07\x1b]52;c;b3duZWQ=\x07 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`, 'latin1'));
    assert.match(refused, /^HTTP\/1\.1 400 /);
    // Raw UTF-8 in a path is accepted (as nginx does): U+202E and U+009B reach the log line, escaped.
    for (const up of [upstream, broken]) {
      await send(Buffer.concat([Buffer.from(`GET http://127.0.0.1:${up.port}/`), Buffer.from('\u202egpj.exe\u009b31m', 'utf8'), Buffer.from(` HTTP/1.1\r\nHost: 127.0.0.1:${up.port}\r\nConnection: close\r\n\r\n`)]));
    }
    await waitFor(() => s.out.length >= 4, 'a refusal and two flow lines');
    s.stop('SIGINT');
    const r = await s.done;
    assertClean(r.out, 'proxy (stdout)');
    assertClean(r.err, 'proxy (stderr)');
    const lines = s.out.slice(1, 4);
    const refusal = lines.find((l) => / 400 Bad Request /.test(l));
    assert.ok(refusal, lines.join('\n'));
    assert.match(refusal, /the request target "http:\/\/127\.0\.0\.1:\d+\/\\u001b\]0;owned\\u0007\\u001b\]52;c;b3duZWQ=\\u0007" has a control character/);
    const flows = lines.filter((l) => l !== refusal);
    // The target is logged as latin1 bytes: U+202E (e2 80 ae) shows its C1 byte escaped, U+009B (c2 9b) likewise.
    for (const line of flows) assert.match(line, /GET http:\/\/127\.0\.0\.1:\d+\/â\\x80®gpj\.exeÂ\\x9b31m → /);
    assert.ok(flows.some((l) => / → 200 /.test(l)), flows.join('\n'));
    assert.ok(flows.some((l) => /✗ Upstream 127\.0\.0\.1:\d+ sent a broken body: .*byte 0x1b/.test(l)), `the broken upstream's body in the flow error, in words:\n${flows.join('\n')}`);
  });
  it('netreq listen: a datagram\'s bytes on its one line', async () => {
    const port = await freeUdpPort();
    const s = service(['listen', `239.255.0.9:${port}`, '--interface', '127.0.0.1']);
    await waitFor(() => s.out.some((l) => l.startsWith('Listening on')), 'the listener');
    await new MulticastClient().send(multicastSpec('239.255.0.9', port, { payload: Buffer.concat([HOSTILE_BYTES, Buffer.from('\r\nforged line')]), waitMs: 50 }));
    await waitFor(() => s.out.some((l) => l.includes('owned')), 'the datagram');
    s.stop('SIGINT');
    const r = await s.done;
    assertClean(r.out, 'listen (stdout)');
    const line = s.out.find((l) => l.includes('owned'))!;
    assert.match(line, new RegExp(`B {2}${ESCAPED.source}.*␍␊forged line$`));
    assert.ok(!line.includes('\n'), 'one line');
  });

  it('the compiled CLI as a program (stdout and stderr of a child process, NO_COLOR)', async () => {
    const peer = await raw(hostileResponse(200));
    const bin = path.join(__dirname, '../../../src/cli/main.js');
    const program = async (file: string) => {
      const child = spawn(process.execPath, [bin, 'run', file], { env: { ...process.env, NO_COLOR: '1' } });
      const out: Buffer[] = [];
      const err: Buffer[] = [];
      child.stdout.on('data', (d: Buffer) => out.push(d));
      child.stderr.on('data', (d: Buffer) => err.push(d));
      const code = await new Promise<number | null>((r) => child.on('close', r));
      const r = { code, stdout: Buffer.concat(out), stderr: Buffer.concat(err) };
      // As bytes: an ESC byte anywhere fails; C1 written as UTF-8 (C2 9B) or raw (9B) is caught after decoding.
      for (const [name, b] of [['stdout', r.stdout], ['stderr', r.stderr]] as const) {
        assertClean(b.toString('latin1').replace(/[\x80-\xff]+/g, (m) => Buffer.from(m, 'latin1').toString('utf8')), `child ${name}`);
        assert.ok(!b.includes(0x1b), `child ${name}: no ESC byte`);
      }
      return r;
    };
    const ok = await program(write('child.netreq', `GET http://127.0.0.1:${peer.port}/\n`));
    assert.equal(ok.code, 0, ok.stderr.toString());
    assert.match(ok.stdout.toString(), new RegExp(`HTTP/1\\.1 200 ${ESCAPED.source}`));
    const bad = await program(write('child-bad.netreq', `@${HOSTILE_TEXT}\nGET http://127.0.0.1:${peer.port}/\n`));
    assert.equal(bad.code, 2);
    assert.match(bad.stderr.toString(), new RegExp(`child-bad\\.netreq:1:1: error: .*${ESCAPED.source}`));
  });
});

describe('terminal-safe text: the one escaping function', () => {
  it('the fast scan (plainText) passes a code unit only when the pattern finds nothing in it, for every UTF-16 code unit and both modes', () => {
    let passed = 0;
    for (const oneLine of [false, true]) {
      for (let c = 0; c <= 0xffff; c++) {
        const s = `a${String.fromCharCode(c)}b`;
        if (plainText(s, oneLine)) {
          passed++;
          assert.equal(hasUnsafe(s, oneLine), false, `U+${c.toString(16)} passes the scan but the pattern escapes it (oneLine ${oneLine})`);
        }
        // What the scan sends on must also come out right: escaped exactly when the pattern matches.
        assert.equal(safeText(s, { oneLine }) === s, !hasUnsafe(s, oneLine), `U+${c.toString(16)}`);
      }
    }
    assert.ok(passed > 2 * 60_000, `only ${passed} code units pass the scan: it sends ordinary text to the pattern`);
    // Pairs: an emoji passes through the pattern unchanged; a tag character is escaped.
    assert.equal(safeText('ok \u{1F600}'), 'ok \u{1F600}');
    assert.equal(safeText('x\u{E0041}'), 'x\\u{e0041}');
  });

  it('an internal error is its message and where it was thrown, never a stack trace', () => {
    let e: unknown;
    try {
      JSON.parse('{');
    } catch (err) {
      e = err;
    }
    const text = internalErrorText(e);
    assert.ok(!text.includes('\n') && !/\n\s+at /.test(text), text);
    assert.match(text, /^Unexpected end of JSON input|^Expected property name/);
    assert.equal(internalErrorText('plain'), 'plain');
  });
  const every = ['\x00', '\x07', '\x08', '\x0b', '\x0c', '\x1b', '\x7f', '\x80', '\x85', '\x9b', '\x9d', '\x9f', '\u061c', '\u200b', '\u200e', '\u200f', '\u2028', '\u2029', '\u202a', '\u202e', '\u2060', '\u2066', '\u2069', '\ufeff', '\ufffb', '\ud800', '\udc00', '\u{e0041}'];

  it('escapes every control, C1, bidi and invisible character visibly, and nothing printable', () => {
    for (const c of every) {
      const got = safeText(`a${c}b`);
      assertClean(got, JSON.stringify(c));
      assert.notEqual(got, 'ab', `${JSON.stringify(c)} is shown, not dropped`);
    }
    assert.equal(safeText('\x1b]0;owned\x07'), '\\x1b]0;owned\\x07');
    assert.equal(safeText('\u009b31m \u202egpj.exe \ud800 \u{e0041}'), '\\x9b31m \\u202egpj.exe \\ud800 \\u{e0041}');
    const printable = 'plain ASCII ~!@#\\ é ü 中文 العربية 👨‍👩‍👧 ␍␊ “quotes” — tab\there\nline';
    assert.equal(safeText(printable), printable, 'printable text, emoji joiners, \\n and \\t are kept');
  });

  it('one line: \\n \\r \\t become visible too; several lines: CR LF becomes LF and a lone CR is shown', () => {
    assert.equal(safeLine('a\r\nb\tc\rd'), 'a\\r\\nb\\tc\\rd');
    assert.equal(safeText('a\r\nb\tc\rd'), 'a\nb\tc\\rd');
  });

  it('escaping twice changes nothing (so a sink may escape what was escaped before)', () => {
    const s = `x ${HOSTILE_TEXT} \r\n\ud800 ${every.join('')}`;
    for (const opts of [{}, { oneLine: true }, { keepColors: true }]) assert.equal(safeText(safeText(s, opts), opts), safeText(s, opts));
  });

  it('keepColors keeps only NetReq\'s own colour codes: no other SGR, no cursor move, no OSC', () => {
    const own = `${ANSI.red('red')} ${ANSI.dim('dim')} \x1b[1mbold\x1b[22m \x1b[36mcyan\x1b[39m`;
    assert.equal(safeText(own, { keepColors: true }), own);
    assert.equal(safeText('\x1b[8mhidden\x1b[2J\x1b[1;31m\x1b]0;t\x07', { keepColors: true }), '\\x1b[8mhidden\\x1b[2J\\x1b[1;31m\\x1b]0;t\\x07');
    assert.equal(safeText(own), own.split('\x1b').join('\\x1b'), 'without keepColors no ESC survives');
  });

  it('JSON lines: still valid JSON with the exact values, nothing raw', () => {
    const value = { s: `${HOSTILE_TEXT}\x7f\u2028\u{e0041}\ud800`, n: 1 };
    const line = jsonLine(value);
    assertClean(line, 'jsonLine');
    assert.deepEqual(JSON.parse(line), value);
  });

  it('chunkText builds on it: UTF-8 decoded, ␍ ␊ ␉ markers, \\xNN for the rest, one line on request', () => {
    const data = Buffer.concat([Buffer.from('hi\x1b[2J\r\n\t'), Buffer.from([0x9b, 0x00]), Buffer.from('\u202e', 'utf8')]);
    assert.equal(chunkText(data), 'hi\\x1b[2J␍␊\n␉\\x9b\\x00\\u202e');
    assert.equal(chunkText(data, { oneLine: true }), 'hi\\x1b[2J␍␊␉\\x9b\\x00\\u202e');
    // A QOTD quote's em dash and a listener's "héllo" print as themselves (Latin-1 made them â\x80\x94 and hÃ©llo).
    assert.equal(chunkText(Buffer.from('a — b, héllo, 😀')), 'a — b, héllo, 😀');
  });

  it('utf8Text: valid UTF-8 decoded, every byte outside a valid sequence as a visible \\xNN', () => {
    const cases: [number[], string][] = [
      [[0x68, 0xc3, 0xa9], 'hé'],
      [[0x68, 0xe9, 0x6c], 'h\\xe9l'], // Latin-1 é alone
      [[0xc0, 0xaf], '\\xc0\\xaf'], // overlong '/'
      [[0xed, 0xa0, 0x80], '\\xed\\xa0\\x80'], // a surrogate in UTF-8
      [[0xf4, 0x90, 0x80, 0x80], '\\xf4\\x90\\x80\\x80'], // past U+10FFFF
      [[0xe2, 0x80], '\\xe2\\x80'], // cut short at the end
      [[0xe2, 0x80, 0x41], '\\xe2\\x80A'], // cut short in the middle
      [[0xf0, 0x9f, 0x98, 0x80, 0xff], '😀\\xff'],
    ];
    for (const [bytes, want] of cases) assert.equal(utf8Text(Buffer.from(bytes)), want, Buffer.from(bytes).toString('hex'));
    // Linear: a megabyte of invalid bytes is one pass (a count-free check: it finishes and has 4 characters a byte).
    assert.equal(utf8Text(Buffer.alloc(1 << 20, 0xff)).length, 4 << 20);
  });
});

describe('terminal-safe task terminals: the line builders and the writer', () => {
  it('a proxy flow line: hostile method, target and error stay one escaped line', () => {
    const line = proxyFlowLine(fakeFlow({ method: 'G\x1bET', target: `http://x/${HOSTILE_TEXT}\r\nforged`, status: 200, error: `bad ${HOSTILE_TEXT}\nnext`, done: true }));
    assertClean(line, 'flow line');
    assert.ok(!line.includes('\n'));
    assert.match(line, new RegExp(`G\\\\x1bET http://x/${ESCAPED.source}.*\\\\r\\\\nforged → 200 .*✗ bad ${ESCAPED.source}.*\\\\nnext$`));
  });

  it('a datagram line: the payload on one escaped line', () => {
    const line = datagramLine(fakeDatagram(Buffer.concat([HOSTILE_BYTES, Buffer.from('\r\nforged')])));
    assertClean(line, 'datagram line');
    assert.match(line, new RegExp(`${ESCAPED.source}.*␍␊forged$`));
  });

  it('the writer escapes every line it writes (traffic and its own messages), keeping only its colours', () => {
    const written: string[] = [];
    const w = new LogWriter((s) => written.push(s), { timers: new FakeTimers(), maxLinesPerFlush: 1 });
    w.now(ANSI.red(`Socket error: ${HOSTILE_TEXT}\nforged`));
    w.line(`raw ${HOSTILE_TEXT}`);
    w.line('skipped');
    w.flush();
    const all = written.join('');
    assertClean(all.replace(OWN_SGR, '').replace(/\r\n/g, ''), 'task terminal');
    assert.equal(all.split('\r\n').length - 1, 3, 'three lines: the message, one traffic line, "… 1 more line"');
    // eslint-disable-next-line no-control-regex
    assert.match(all, /^\x1b\[31mSocket error: \\x1b\]0;owned\\x07 .*\\nforged\x1b\[39m\r\n/);
    assert.match(w.recent[1], new RegExp(`^raw ${ESCAPED.source}`));
  });
});
