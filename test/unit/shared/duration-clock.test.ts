import { strict as assert } from 'node:assert';
import { clockText, formatMs } from '../../../src/common/format';

describe('formatMs: the one duration format', () => {
  it('milliseconds below a second, three significant digits at most, no trailing zeros', () => {
    const table: Array<[number, string]> = [
      [0, '0 ms'],
      [0.004, '0 ms'],
      [0.5, '0.5 ms'],
      [0.1234, '0.12 ms'],
      [5, '5 ms'],
      [5.678, '5.68 ms'],
      [9.999, '10 ms'],
      [12.34, '12.3 ms'],
      [150, '150 ms'],
      [345.6, '346 ms'],
      [999.4, '999 ms'],
    ];
    for (const [ms, text] of table) assert.equal(formatMs(ms), text, String(ms));
  });

  it('seconds from a second on, with the same rule', () => {
    const table: Array<[number, string]> = [
      [999.6, '1 s'],
      [1000, '1 s'],
      [1234, '1.23 s'],
      [1500, '1.5 s'],
      [2000, '2 s'],
      [15_250, '15.3 s'],
      [90_000, '90 s'],
      [300_000, '300 s'],
      [3_600_000, '3600 s'],
    ];
    for (const [ms, text] of table) assert.equal(formatMs(ms), text, String(ms));
  });

  it('unknown is a dash, a negative duration keeps its sign', () => {
    assert.equal(formatMs(undefined), '–');
    assert.equal(formatMs(NaN), '–');
    assert.equal(formatMs(Infinity), '–');
    assert.equal(formatMs(-1500), '-1.5 s');
  });
});

describe('clockText: the HH:MM:SS.mmm clock', () => {
  it('prints UTC time of day with milliseconds, midnight included', () => {
    assert.equal(clockText(Date.UTC(2026, 0, 1, 0, 0, 0, 0)), '00:00:00.000');
    assert.equal(clockText(Date.UTC(2025, 11, 31, 23, 59, 59, 999)), '23:59:59.999');
    assert.equal(clockText(Date.UTC(2026, 5, 15, 9, 5, 7, 42)), '09:05:07.042');
    assert.equal(clockText(0), '00:00:00.000');
  });

  it('a time that is not one is a dash, not a RangeError', () => {
    assert.equal(clockText(NaN), '—');
    assert.equal(clockText(Infinity), '—');
    assert.equal(clockText(1e20), '—'); // finite, but past the last date a Date can hold
  });
});
