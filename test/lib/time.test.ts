import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseUpstreamTime } from '../../src/lib/time.js';

const iso = (text: string) => parseUpstreamTime(text)?.toISOString() ?? null;

/**
 * The reference the parser is held to: the grammar as one regular expression, and a date is
 * possible when the calendar gives back the same day and month (Date.UTC rolls Feb 30th over).
 */
function reference(text: string): number | null {
  const m = /^(\d{4})-(\d\d)-(\d\d)[T ](\d\d):(\d\d):(\d\d)(?:\.(\d{1,9}))?(Z|z|[+-]\d\d(?::?\d\d)?)?$/.exec(text.trim());
  if (!m) return null;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  if (y <= 1) return null;
  const local = Date.UTC(y, mo - 1, d, h, mi, s, Number((m[7] ?? '').slice(0, 3).padEnd(3, '0')));
  const back = new Date(local);
  if (back.getUTCDate() !== d || back.getUTCMonth() !== mo - 1) return null;
  const zone = m[8] && m[8] !== 'Z' && m[8] !== 'z' ? m[8] : null;
  const offset = zone ? (zone[0] === '-' ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.replace(':', '').slice(3, 5) || '0')) : 0;
  return local - offset * 60_000;
}

describe('upstream times', () => {
  it('reads each upstream format to the millisecond', () => {
    // obshell (Go RFC3339Nano in the agent's zone), DCS, RDS.
    expect(iso('2024-10-12T18:08:08.723714+08:00')).toBe('2024-10-12T10:08:08.723Z');
    expect(iso('2019-05-10T08:31:16.166Z')).toBe('2019-05-10T08:31:16.166Z');
    expect(iso('2018-08-06T12:41:14+0800')).toBe('2018-08-06T04:41:14.000Z');
    expect(iso('2018-08-06T12:41:14-05')).toBe('2018-08-06T17:41:14.000Z');
    expect(iso('2018-08-06 12:41:14')).toBe('2018-08-06T12:41:14.000Z');
    expect(iso('  2018-08-06T12:41:14.5z ')).toBe('2018-08-06T12:41:14.500Z');
    // Finer than a millisecond: dropped, never rounded.
    expect(iso('2024-10-12T18:08:08.999999999Z')).toBe('2024-10-12T18:08:08.999Z');
  });

  it('gives null for none, Go zero time, impossible dates and what is not a time', () => {
    for (const text of [
      null,
      undefined,
      '',
      '0001-01-01T00:00:00Z',
      '2024-02-30T00:00:00Z',
      '2023-02-29T00:00:00Z',
      '2024-13-01T00:00:00Z',
      '2024-04-31T00:00:00Z',
      '2024-01-31T24:00:00Z',
      '2024-10-12T18:08:08.Z',
      '2024-10-12T18:08:08.1234567890Z',
      '2024-10-12T18:08:08+08:',
      '2024-10-12T18:08:08+8',
      '2024-10-12T18:08:08ZZ',
      '2024-10-12',
      '2024-10-12X18:08:08Z',
      'yesterday',
    ]) {
      expect(parseUpstreamTime(text), String(text)).toBeNull();
    }
    expect(iso('2024-02-29T23:59:59.999Z')).toBe('2024-02-29T23:59:59.999Z');
  });

  it('agrees with the reference on any text built from the grammar, near misses included', () => {
    const pad2 = (n: number) => String(n).padStart(2, '0');
    // Mostly near the edges of the calendar and the clock, sometimes anything two digits hold.
    const two = (min: number, max: number) => fc.oneof(fc.integer({ min, max }).map(pad2), fc.integer({ min: 0, max: 99 }).map(pad2));
    const text = fc
      .tuple(
        fc.oneof(
          fc.integer({ min: 0, max: 9999 }).map((n) => String(n).padStart(4, '0')),
          fc.constantFrom('2024', '2000', '1900', '0001', '0050'),
        ),
        two(0, 13),
        two(0, 32),
        fc.constantFrom('T', ' ', 't', 'X'),
        two(22, 25),
        two(58, 61),
        two(58, 61),
        fc.oneof(fc.constant(''), fc.stringMatching(/^\.\d{0,11}$/)),
        fc.constantFrom('', 'Z', 'z', '+08:00', '-0530', '+08', '+8', '+08:', '-1', 'ZZ', ' ', '+99:99'),
        fc.constantFrom('', ' ', '\n'),
      )
      .map(([y, mo, d, sep, h, mi, s, frac, zone, pad]) => `${pad}${y}-${mo}-${d}${sep}${h}:${mi}:${s}${frac}${zone}${pad}`);
    fc.assert(
      fc.property(fc.oneof(text, fc.string()), (t) => {
        expect(parseUpstreamTime(t)?.getTime() ?? null).toBe(reference(t));
      }),
      { numRuns: 20_000 },
    );
  });
});
