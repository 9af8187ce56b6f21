/**
 * Request-smuggling vectors for the proxy sweep, generated (not a stored corpus). Each vector is the bytes a
 * client sends on one connection: request `a` (the attack, to `{V}/a`), a smuggled origin-form request to
 * `{V}/SMUGGLED` hidden where some parser might see a request, then a plain pipelined `GET {V}/b`.
 * `O` is the origin's host:port, `V` a path prefix unique to the vector. The proxy never forwards an
 * origin-form request, so an origin that sees `SMUGGLED` (or anything but `a` and `b`) was smuggled to.
 */
export interface Vector {
  family: string;
  name: string;
  bytes: (O: string, V: string) => string;
}

const hex = (s: string) => s.length.toString(16);
const smuggled = (O: string, V: string) => `GET ${V}/SMUGGLED HTTP/1.1\r\nHost: ${O}\r\n\r\n`;
const follow = (O: string, V: string) => `GET http://${O}${V}/b HTTP/1.1\r\nHost: ${O}\r\n\r\n`;
const postA = (O: string, V: string) => `POST http://${O}${V}/a HTTP/1.1\r\nHost: ${O}\r\n`;

/** Transfer-Encoding field lines (CRLF-terminated unless the vector is about line endings). */
function transferEncodings(): { name: string; lines: string }[] {
  const names = ['Transfer-Encoding', 'transfer-encoding', 'TRANSFER-ENCODING', 'tRANSFER-eNCODING', 'Transfer-Encoding ', 'Transfer-Encoding\t', ' Transfer-Encoding', '\tTransfer-Encoding', 'Transfer_Encoding', 'Transfer-Encodings', 'X-Transfer-Encoding', 'Transfer-Encoding\x00', 'Transfer\x00-Encoding', 'Transfer-Encoding\x0b', 'Transfer-\rEncoding', 'Transfer-Encoding\r', 'Content-Encoding'];
  const seps = [':', ': ', ':\t', ': \t ', ':\x0b', ':\x0c', ':\xa0', '::', ' : '];
  const values = ['chunked', 'Chunked', 'CHUNKED', 'cHuNkEd', 'chunked ', 'chunked\t', ' chunked', 'chunked\x0b', '\x0bchunked', '\x0cchunked', 'chunked\x0c', '\xa0chunked', 'chunked\xa0', 'chunked\x85', 'chunked\x7f', 'chunked\x00', '\x00chunked', 'chunk\x00ed', 'chunked\r', '\rchunked', 'chunked\n', '"chunked"', "'chunked'", 'xchunked', 'chunkedx', 'chunked-false', 'chunk', 'chunke', 'chunked, identity', 'identity, chunked', 'chunked, chunked', 'gzip, chunked', 'chunked, gzip', 'chunked;q=1', 'chunked ;', 'chunked,', 'chunked, ', ',chunked', ', chunked', ',,chunked', 'identity', 'gzip', '', ' ', 'x', 'chunked\r\n x', '\r\n chunked', 'chunked\r\n\tchunked', 'identity\r\n chunked', 'chunked\xe4', '\xffchunked'];
  const out: { name: string; lines: string }[] = [];
  for (const v of values) out.push({ name: `value ${JSON.stringify(v)}`, lines: `Transfer-Encoding: ${v}\r\n` });
  for (const n of names.slice(1)) out.push({ name: `name ${JSON.stringify(n)}`, lines: `${n}: chunked\r\n` });
  for (const s of seps.slice(1)) out.push({ name: `separator ${JSON.stringify(s)}`, lines: `Transfer-Encoding${s}chunked\r\n` });
  for (const n of ['transfer-encoding', 'Transfer-Encoding ', ' Transfer-Encoding', 'Transfer-Encoding\x00', 'TRANSFER-ENCODING'])
    for (const v of [' chunked', 'chunked ', '\x0bchunked', 'xchunked', 'chunked, identity', 'identity, chunked', '"chunked"', 'CHUNKED'])
      out.push({ name: `name ${JSON.stringify(n)} value ${JSON.stringify(v)}`, lines: `${n}: ${v}\r\n` });
  const dup: [string, string][] = [
    ['chunked', 'identity'],
    ['identity', 'chunked'],
    ['chunked', 'chunked'],
    ['chunked', 'x'],
    ['x', 'chunked'],
    ['', 'chunked'],
    ['chunked', ''],
    ['gzip', 'chunked'],
    ['chunked', 'gzip, chunked'],
  ];
  for (const [x, y] of dup) out.push({ name: `two fields ${JSON.stringify([x, y])}`, lines: `Transfer-Encoding: ${x}\r\nTransfer-Encoding: ${y}\r\n` });
  out.push(
    { name: 'obs-fold: TE folded into the line before', lines: 'X-A: y\r\n Transfer-Encoding: chunked\r\n' },
    { name: 'obs-fold: value on the next line', lines: 'Transfer-Encoding:\r\n chunked\r\n' },
    { name: 'bare LF after TE', lines: 'Transfer-Encoding: chunked\nX-A: y\r\n' },
    { name: 'TE after a bare LF', lines: 'X-A: y\nTransfer-Encoding: chunked\r\n' },
    { name: 'CR CR LF after TE', lines: 'Transfer-Encoding: chunked\r\r\n' },
    { name: 'TE named in Connection', lines: 'Connection: Transfer-Encoding\r\nTransfer-Encoding: chunked\r\n' },
  );
  return out;
}

function teFamilies(): Vector[] {
  const out: Vector[] = [];
  for (const te of transferEncodings()) {
    out.push({
      family: 'CL.TE',
      name: te.name,
      bytes: (O, V) => {
        const body = `0\r\n\r\n${smuggled(O, V)}`;
        return `${postA(O, V)}${te.lines}Content-Length: ${body.length}\r\n\r\n${body}${follow(O, V)}`;
      },
    });
    out.push({
      family: 'TE.CL',
      name: te.name,
      bytes: (O, V) => {
        const inner = `GET ${V}/SMUGGLED HTTP/1.1\r\nHost: ${O}\r\nContent-Length: 10\r\n\r\nx=`;
        return `${postA(O, V)}${te.lines}Content-Length: 4\r\n\r\n${hex(inner)}\r\n${inner}\r\n0\r\n\r\n${follow(O, V)}`;
      },
    });
    out.push({
      family: 'TE alone',
      name: te.name,
      bytes: (O, V) => {
        const s = smuggled(O, V);
        return `${postA(O, V)}${te.lines}\r\n${hex(s)}\r\n${s}\r\n0\r\n\r\n${follow(O, V)}`;
      },
    });
  }
  return out;
}

function contentLengths(): Vector[] {
  const values = ['0', '4', '5', '5, 5', '5,5', '5,6', '5, 4', ' 5', '5 ', '+5', '-1', '-0', '0x5', '05', '5.0', '1e1', '5e0', '99999999999999999999', '18446744073709551621', '4294967301', '', ' ', '5\x0b', '\x0b5', '\xa05', '5\x00', '5\r', '5\r\n 0', 'abc', '5 5', '"5"'];
  const out: Vector[] = [];
  const body = (O: string, V: string) => `hello${smuggled(O, V)}`;
  for (const v of values) out.push({ family: 'Content-Length', name: `value ${JSON.stringify(v)}`, bytes: (O, V) => `${postA(O, V)}Content-Length: ${v}\r\n\r\n${body(O, V)}${follow(O, V)}` });
  for (const n of ['content-length', 'CONTENT-LENGTH', 'Content-Length ', ' Content-Length', 'Content_Length', 'Content-Length\x00', 'Content-Length\x0b'])
    out.push({ family: 'Content-Length', name: `name ${JSON.stringify(n)}`, bytes: (O, V) => `${postA(O, V)}${n}: 5\r\n\r\n${body(O, V)}${follow(O, V)}` });
  for (const [x, y] of [['5', '6'], ['5', '5'], ['0', '5'], ['5', '0'], ['5', ''], ['', '5']])
    out.push({ family: 'Content-Length', name: `two fields ${x} and ${y}`, bytes: (O, V) => `${postA(O, V)}Content-Length: ${x}\r\nContent-Length: ${y}\r\n\r\n${body(O, V)}${follow(O, V)}` });
  out.push({ family: 'Content-Length', name: 'named in Connection', bytes: (O, V) => `${postA(O, V)}Connection: Content-Length\r\nContent-Length: 5\r\n\r\n${body(O, V)}${follow(O, V)}` });
  out.push({ family: 'Content-Length', name: 'GET with a body', bytes: (O, V) => `GET http://${O}${V}/a HTTP/1.1\r\nHost: ${O}\r\nContent-Length: 5\r\n\r\n${body(O, V)}${follow(O, V)}` });
  out.push({ family: 'Content-Length', name: 'HEAD with a body', bytes: (O, V) => `HEAD http://${O}${V}/a HTTP/1.1\r\nHost: ${O}\r\nContent-Length: 5\r\n\r\n${body(O, V)}${follow(O, V)}` });
  out.push({ family: 'Content-Length', name: 'HTTP/1.0 with a length', bytes: (O, V) => `POST http://${O}${V}/a HTTP/1.0\r\nHost: ${O}\r\nConnection: keep-alive\r\nContent-Length: 5\r\n\r\n${body(O, V)}${follow(O, V)}` });
  return out;
}

function chunkSizes(): Vector[] {
  const sizes = ['ffffffffffffffffff', '10000000000000005', '100000005', 'fffffffffffffffff5', 'FFFFFFFF', '-5', '0x5', '+5', ' 5', '5 ', '5\t', '5 ;x', '5;x', '5;x=y', '5;x="a;b"', '5;x="\r"', '5;x\x00', '5;\x7f', '5;x\x0b', '0'.repeat(40) + '5', 'g', '', '5\r', '05', '5;' + 'a'.repeat(5000), '5 \t ', '5\x0b', '\x0b5', '5\xa0', '5;x\n'];
  const out: Vector[] = [];
  for (const s of sizes)
    out.push({ family: 'chunk size', name: JSON.stringify(s.length > 50 ? `${s.slice(0, 20)}…(${s.length})` : s), bytes: (O, V) => `${postA(O, V)}Transfer-Encoding: chunked\r\n\r\n${s}\r\nhello\r\n0\r\n\r\n${smuggled(O, V)}${follow(O, V)}` });
  const bodies: [string, (O: string, V: string) => string][] = [
    ['data longer than its size', () => '3\r\nhello\r\n0\r\n\r\n'],
    ['data shorter than its size', () => '7\r\nhello\r\n0\r\n\r\n'],
    ['no CRLF after data', () => '5\r\nhello0\r\n\r\n'],
    ['last chunk without its blank line, then a request', () => '0\r\n'],
    ['Content-Length in the trailers', () => '0\r\nContent-Length: 5\r\n\r\n'],
    ['Transfer-Encoding in the trailers', () => '0\r\nTransfer-Encoding: chunked\r\n\r\n'],
    ['folded trailer', () => '0\r\nX-T: a\r\n b\r\n\r\n'],
    ['trailer with a NUL', () => '0\r\nX-T: a\x00b\r\n\r\n'],
    ['trailer with a bare CR', () => '0\r\nX-T: a\rb\r\n\r\n'],
    ['a request inside the chunk data', (O, V) => `${hex(`0\r\n\r\n${smuggled(O, V)}`)}\r\n0\r\n\r\n${smuggled(O, V)}\r\n0\r\n\r\n`],
    ['many chunks of one byte', () => '1\r\nh\r\n'.repeat(50) + '0\r\n\r\n'],
  ];
  for (const [name, b] of bodies) out.push({ family: 'chunk size', name, bytes: (O, V) => `${postA(O, V)}Transfer-Encoding: chunked\r\n\r\n${b(O, V)}${smuggled(O, V)}${follow(O, V)}` });
  return out;
}

function lineEndings(): Vector[] {
  const g = (O: string, V: string) => `GET http://${O}${V}/a HTTP/1.1`;
  const cases: [string, (O: string, V: string) => string][] = [
    ['bare LF after the request line', (O, V) => `${g(O, V)}\nHost: ${O}\r\n\r\n`],
    ['bare LF between fields', (O, V) => `${g(O, V)}\r\nHost: ${O}\nX-A: y\r\n\r\n`],
    ['head ends LF LF, a request follows', (O, V) => `${g(O, V)}\r\nHost: ${O}\n\n${smuggled(O, V)}`],
    ['head ends CR LF LF', (O, V) => `${g(O, V)}\r\nHost: ${O}\r\n\n${smuggled(O, V)}`],
    ['head ends LF CR LF', (O, V) => `${g(O, V)}\r\nHost: ${O}\n\r\n${smuggled(O, V)}`],
    ['bare CR ends a field', (O, V) => `${g(O, V)}\r\nHost: ${O}\rX-A: y\r\n\r\n`],
    ['a bare LF hides Content-Length', (O, V) => `${postA(O, V)}X-A: y\nContent-Length: ${smuggled(O, V).length}\r\n\r\n${smuggled(O, V)}`],
    ['chunk size line ends LF', (O, V) => `${postA(O, V)}Transfer-Encoding: chunked\r\n\r\n5\nhello\r\n0\r\n\r\n${smuggled(O, V)}`],
    ['chunk data ends LF', (O, V) => `${postA(O, V)}Transfer-Encoding: chunked\r\n\r\n5\r\nhello\n0\r\n\r\n${smuggled(O, V)}`],
    ['last chunk LF LF', (O, V) => `${postA(O, V)}Transfer-Encoding: chunked\r\n\r\n0\n\n${smuggled(O, V)}`],
    ['last chunk CR LF LF', (O, V) => `${postA(O, V)}Transfer-Encoding: chunked\r\n\r\n0\r\n\n${smuggled(O, V)}`],
    ['trailer ends LF', (O, V) => `${postA(O, V)}Transfer-Encoding: chunked\r\n\r\n0\r\nX-T: y\n\r\n${smuggled(O, V)}`],
    ['chunk extension with a bare LF', (O, V) => `${postA(O, V)}Transfer-Encoding: chunked\r\n\r\n5;a\nhello\r\n0\r\n\r\n${smuggled(O, V)}`],
    ['chunk extension with a bare LF hiding a size', (O, V) => `${postA(O, V)}Transfer-Encoding: chunked\r\n\r\n2;\n0\r\n\r\n${smuggled(O, V)}\r\n0\r\n\r\n`],
    ['CR CR LF after a chunk size', (O, V) => `${postA(O, V)}Transfer-Encoding: chunked\r\n\r\n5\r\r\nhello\r\n0\r\n\r\n${smuggled(O, V)}`],
  ];
  return cases.map(([name, b]) => ({ family: 'bare LF / CR', name, bytes: (O, V) => b(O, V) + follow(O, V) }));
}

function controls(): Vector[] {
  const fields = ['X-A\x00: y', 'X-A: a\x00b', 'X-A: a\rb', 'X-A\r: y', 'X-A: a\rContent-Length: 50', 'X-A: a\rTransfer-Encoding: chunked', `Host: x\x00y`, 'X-A: \x01\x02\x1b[31m', 'X-A: a\x7fb', 'X\x00-A: y', '\x00: y', ': y', 'X-A:', 'X A: y', 'X-A\x0b: y', '@X: y', 'X-A: \x0bContent-Length: 5'];
  const out: Vector[] = fields.map((f) => ({
    family: 'NUL/CR/CTL',
    name: JSON.stringify(f),
    bytes: (O, V) => `${postA(O, V)}${f}\r\nContent-Length: 5\r\n\r\nhello${smuggled(O, V)}${follow(O, V)}`,
  }));
  for (const [name, line] of [
    ['NUL in the method', 'PO\x00ST'],
    ['NUL in the version', 'HTTP/1.1\x00'],
  ] as const)
    out.push({ family: 'NUL/CR/CTL', name, bytes: (O, V) => (name.includes('method') ? `${line} http://${O}${V}/a HTTP/1.1\r\nHost: ${O}\r\n\r\n` : `GET http://${O}${V}/a ${line}\r\nHost: ${O}\r\n\r\n`) + smuggled(O, V) + follow(O, V) });
  return out;
}

function targets(): Vector[] {
  const t: [string, (O: string, V: string) => string][] = [
    ['origin form', (O, V) => `GET ${V}/a HTTP/1.1`],
    ['NUL in the path', (O, V) => `GET http://${O}${V}/a\x00 HTTP/1.1`],
    ['DEL in the path', (O, V) => `GET http://${O}${V}/a\x7f HTTP/1.1`],
    ['ESC in the path', (O, V) => `GET http://${O}${V}/a\x1b[2J HTTP/1.1`],
    ['C1 byte in the path', (O, V) => `GET http://${O}${V}/a\x85 HTTP/1.1`],
    ['latin1 byte in the path', (O, V) => `GET http://${O}${V}/a\xe9 HTTP/1.1`],
    ['control byte in the query', (O, V) => `GET http://${O}${V}/a?x=\x01 HTTP/1.1`],
    ['vertical tab in the path', (O, V) => `GET http://${O}${V}/a\x0bHTTP/1.1 HTTP/1.1`],
    ['space in the path', (O, V) => `GET http://${O}${V}/a b HTTP/1.1`],
    ['tab between parts', (O, V) => `GET\thttp://${O}${V}/a\tHTTP/1.1`],
    ['two spaces between parts', (O, V) => `GET  http://${O}${V}/a HTTP/1.1`],
    ['trailing space after the version', (O, V) => `GET http://${O}${V}/a HTTP/1.1 `],
    ['upper-case scheme and host', (O, V) => `GET HTTP://${O.toUpperCase()}${V}/a HTTP/1.1`],
    ['fragment', (O, V) => `GET http://${O}${V}/a#frag HTTP/1.1`],
    ['path with dot segments', (O, V) => `GET http://${O}${V}/../${V.slice(1)}/a HTTP/1.1`],
    ['userinfo', (O, V) => `GET http://u:p@${O}${V}/a HTTP/1.1`],
    ['port 0', (O, V) => `GET http://127.0.0.1:0${V}/a HTTP/1.1`],
    ['port 65536', (O, V) => `GET http://127.0.0.1:65536${V}/a HTTP/1.1`],
    ['asterisk', () => 'OPTIONS * HTTP/1.1'],
    ['scheme-relative', (O, V) => `GET //${O}${V}/a HTTP/1.1`],
    ['https absolute', (O, V) => `GET https://${O}${V}/a HTTP/1.1`],
    ['HTTP/1.2', (O, V) => `GET http://${O}${V}/a HTTP/1.2`],
    ['HTTP/2.0', (O, V) => `GET http://${O}${V}/a HTTP/2.0`],
    ['HTTP/0.9 style', (O, V) => `GET http://${O}${V}/a`],
    ['lower-case version', (O, V) => `GET http://${O}${V}/a http/1.1`],
    ['HTTP/1.10', (O, V) => `GET http://${O}${V}/a HTTP/1.10`],
    ['target is a request line', (O, V) => `GET http://${O}${V}/a%20HTTP/1.1%0d%0aX:%20y HTTP/1.1`],
    ['backslash in the authority', (O, V) => `GET http://${O}\\@evil${V}/a HTTP/1.1`],
    ['IPv6 literal', (O, V) => `GET http://[::1]:${O.split(':')[1]}${V}/a HTTP/1.1`],
    ['lower-case method', (O, V) => `get http://${O}${V}/a HTTP/1.1`],
  ];
  return t.map(([name, line]) => ({ family: 'odd target', name, bytes: (O, V) => `${line(O, V)}\r\nHost: ${O}\r\n\r\n${smuggled(O, V)}${follow(O, V)}` }));
}

function afterErrors(): Vector[] {
  const errors: [string, (O: string, V: string) => string][] = [
    ['TE and CL', (O, V) => `${postA(O, V)}Transfer-Encoding: chunked\r\nContent-Length: 5\r\n\r\n0\r\n\r\n`],
    ['bad field', (O, V) => `${postA(O, V)}X A: y\r\n\r\n`],
    ['obs-fold', (O, V) => `${postA(O, V)}X-A: y\r\n z\r\n\r\n`],
    ['bad chunk', (O, V) => `${postA(O, V)}Transfer-Encoding: chunked\r\n\r\nzz\r\n`],
    ['bad chunk after the head went upstream', (O, V) => `${postA(O, V)}Transfer-Encoding: chunked\r\n\r\n5\r\nhelloX\r\n`],
    ['origin form', (O, V) => `GET ${V}/a HTTP/1.1\r\nHost: ${O}\r\n\r\n`],
    ['HTTP/1.0 chunked', (O, V) => `POST http://${O}${V}/a HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`],
    ['TE not ending with chunked', (O, V) => `${postA(O, V)}Transfer-Encoding: chunked, gzip\r\n\r\n`],
    ['head over the limit', (O, V) => `${postA(O, V)}X-Big: ${'a'.repeat(70_000)}\r\n\r\n`],
    ['bad Content-Length', (O, V) => `${postA(O, V)}Content-Length: 5x\r\n\r\nhello`],
    ['two Content-Lengths', (O, V) => `${postA(O, V)}Content-Length: 1\r\nContent-Length: 2\r\n\r\nhe`],
    ['loop to the proxy', (O, V) => `GET http://{P}${V}/a HTTP/1.1\r\nHost: x\r\n\r\n`],
    ['CONNECT with no port', () => 'CONNECT example HTTP/1.1\r\nHost: example\r\n\r\n'],
    ['bad port', (O, V) => `GET http://127.0.0.1:99999${V}/a HTTP/1.1\r\nHost: x\r\n\r\n`],
  ];
  const out: Vector[] = [];
  for (const [name, e] of errors)
    for (const [how, after] of [
      ['absolute', (O: string, V: string) => `GET http://${O}${V}/AFTER HTTP/1.1\r\nHost: ${O}\r\n\r\n`],
      ['origin form', (O: string, V: string) => smuggled(O, V)],
    ] as const)
      out.push({ family: 'pipelined after an error', name: `${name}, then ${how}`, bytes: (O, V) => e(O, V) + after(O, V) + follow(O, V) });
  return out;
}

export function smugglingVectors(): Vector[] {
  return [...teFamilies(), ...contentLengths(), ...chunkSizes(), ...lineEndings(), ...controls(), ...targets(), ...afterErrors()];
}
