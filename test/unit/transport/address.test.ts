import { strict as assert } from 'node:assert';
import { canonicalIp, hostForUrl, hostPort, isLoopback, unbracket } from '../../../src/core/transport/address';

describe('address: host:port, brackets and loopback', () => {
  it('hostPort brackets IPv6 (with a zone id too), leaves names, IPv4 and bracketed hosts as they are', () => {
    const table: Array<[string, number | string, string]> = [
      ['127.0.0.1', 80, '127.0.0.1:80'],
      ['example.com', 443, 'example.com:443'],
      ['::1', 8080, '[::1]:8080'],
      ['2001:db8::1', 53, '[2001:db8::1]:53'],
      ['fe80::1%eth0', 5353, '[fe80::1%eth0]:5353'],
      ['::ffff:127.0.0.1', 1, '[::ffff:127.0.0.1]:1'],
      ['[::1]', 80, '[::1]:80'],
      ['localhost', 0, 'localhost:0'],
      ['localhost', 65535, 'localhost:65535'],
      ['10.0.0.1', '', '10.0.0.1:'],
    ];
    for (const [host, port, text] of table) assert.equal(hostPort(host, port), text, `${host} ${port}`);
  });

  it('hostForUrl brackets only IPv6; unbracket undoes it', () => {
    assert.equal(hostForUrl('::1'), '[::1]');
    assert.equal(hostForUrl('[::1]'), '[::1]');
    assert.equal(hostForUrl('example.com'), 'example.com');
    assert.equal(hostForUrl('192.0.2.1'), '192.0.2.1');
    assert.equal(unbracket('[::1]'), '::1');
    assert.equal(unbracket(' [fe80::1%lo] '), 'fe80::1%lo');
    assert.equal(unbracket('127.0.0.1'), '127.0.0.1');
    assert.equal(unbracket('[::1'), '[::1');
  });

  it('canonicalIp: one form per address', () => {
    assert.equal(canonicalIp('::FFFF:127.0.0.1'), '127.0.0.1');
    assert.equal(canonicalIp('::ffff:7f00:1'), '127.0.0.1');
    assert.equal(canonicalIp('[0:0:0:0:0:0:0:1]'), '::1');
    assert.equal(canonicalIp('fe80::1%eth0'), 'fe80::1');
    assert.equal(canonicalIp('LocalHost'), 'localhost');
  });

  it('isLoopback: 127/8, ::1 (bracketed, long or v4-mapped) and localhost are; the unspecified and other addresses are not', () => {
    const yes = ['127.0.0.1', '127.255.255.254', '127.0.0.2', '::1', '[::1]', '0:0:0:0:0:0:0:1', '::ffff:127.0.0.1', '::ffff:127.1.2.3', '[::ffff:127.0.0.1]', '::ffff:7f00:1', 'localhost', 'LOCALHOST', 'localhost.'];
    const no = ['0.0.0.0', '::', '[::]', '192.168.1.10', '10.0.0.1', '::ffff:10.0.0.1', '::2', 'fe80::1%lo', '128.0.0.1', 'example.internal', 'localhost.example.com', '127.example.com', ''];
    for (const a of yes) assert.equal(isLoopback(a), true, a);
    for (const a of no) assert.equal(isLoopback(a), false, a);
  });
});
