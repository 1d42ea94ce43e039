/** Time formats the simulated upstreams write, each as its real server does. */

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** Wall-clock fields of an instant shifted into a fixed UTC offset. */
function fields(epochMs: number, offsetMinutes: number) {
  const d = new Date(epochMs + offsetMinutes * 60_000);
  return {
    y: d.getUTCFullYear(),
    mo: d.getUTCMonth() + 1,
    d: d.getUTCDate(),
    h: d.getUTCHours(),
    mi: d.getUTCMinutes(),
    s: d.getUTCSeconds(),
  };
}

function offsetText(offsetMinutes: number, colon: boolean): string {
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return `${sign}${pad(Math.floor(abs / 60))}${colon ? ':' : ''}${pad(abs % 60)}`;
}

/**
 * Go's `time.RFC3339Nano` in a fixed zone, as obshell writes `time.Time` (agent local time,
 * +08:00 in China): fraction trimmed of trailing zeros, omitted when zero.
 * `epochMicros` carries microsecond precision, as OceanBase's timestamps do.
 */
export function goRfc3339Nano(epochMicros: number, offsetMinutes = 480): string {
  const ms = Math.floor(epochMicros / 1000);
  const f = fields(ms, offsetMinutes);
  const micros = ((epochMicros % 1_000_000) + 1_000_000) % 1_000_000;
  const frac = micros === 0 ? '' : `.${pad(micros, 6).replace(/0+$/, '')}`;
  return `${f.y}-${pad(f.mo)}-${pad(f.d)}T${pad(f.h)}:${pad(f.mi)}:${pad(f.s)}${frac}${offsetText(offsetMinutes, true)}`;
}

/** Go's zero `time.Time` as JSON: what obshell writes for a NULL end time. */
export const GO_ZERO_TIME = '0001-01-01T00:00:00Z';

/** DCS: ISO 8601 in UTC with milliseconds, `2019-05-10T08:31:16.166Z`. */
export function dcsTime(epochMs: number): string {
  return new Date(epochMs).toISOString();
}

/** RDS: `yyyy-mm-ddThh:mm:ss+0800`, no fraction, numeric offset without a colon. */
export function rdsTime(epochMs: number, offsetMinutes = 480): string {
  const f = fields(epochMs, offsetMinutes);
  return `${f.y}-${pad(f.mo)}-${pad(f.d)}T${pad(f.h)}:${pad(f.mi)}:${pad(f.s)}${offsetText(offsetMinutes, false)}`;
}

/** Local wall-clock stamp `yyyyMMddHHmmss` used in generated backup names. */
export function compactLocal(epochMs: number, offsetMinutes = 480): string {
  const f = fields(epochMs, offsetMinutes);
  return `${f.y}${pad(f.mo)}${pad(f.d)}${pad(f.h)}${pad(f.mi)}${pad(f.s)}`;
}
