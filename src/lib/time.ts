/**
 * Parsing of the upstreams' time strings into instants with millisecond precision.
 *
 * obshell: Go RFC3339Nano in the agent's zone (`2024-10-12T18:08:08.723714+08:00`, `0001-01-01T00:00:00Z`
 * for "none"); DCS: `2019-05-10T08:31:16.166Z`; RDS: `2018-08-06T12:41:14+0800` or `…Z`.
 * Fractions finer than a millisecond are dropped, never rounded (contract §4).
 */
const PATTERN = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/**
 * An upstream time as a Date, or null for an empty string, Go's zero time (year 1), or text that
 * is not a time. Times without a zone are taken as UTC.
 */
export function parseUpstreamTime(text: string | null | undefined): Date | null {
  if (!text) return null;
  const m = PATTERN.exec(text.trim());
  if (!m) return null;
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  if (year <= 1) return null;
  const ms = frac ? Number(frac.slice(0, 3).padEnd(3, '0')) : 0;
  let offsetMinutes = 0;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone[0] === '-' ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  const utc = Date.UTC(year, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms) - offsetMinutes * 60_000;
  const date = new Date(utc);
  // Reject impossible dates (Feb 30th) that Date.UTC would roll over.
  const check = new Date(utc + offsetMinutes * 60_000);
  if (check.getUTCDate() !== Number(d) || check.getUTCMonth() !== Number(mo) - 1) return null;
  return date;
}

/** Nanoseconds since the epoch (obshell `startAt`, a decimal string above 2^53) as a Date. */
export function nanosToDate(nanos: string | null | undefined): Date | null {
  if (!nanos || !/^\d+$/.test(nanos) || nanos === '0') return null;
  return new Date(Number(BigInt(nanos) / 1_000_000n));
}
