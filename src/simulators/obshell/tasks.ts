/**
 * `GET /api/v1/tenant/:name/backup/tasks` as obshell ≥ 4.3.2.0 computes it (notes §3; obshell
 * `param.QueryBackupTasksParam`, `TenantService.GetTenantBackupJobs`, `GetTenantBackupTasks`):
 *
 * 1. gin binds the query in struct field order — start_time, end_time, page, size, status, sort —
 *    and the first value that does not parse fails the call (`bindFailed`);
 * 2. `Format()`: page/size 0 → 1 / 2147483647; status upper-cased and split on commas; sort split
 *    on its comma, unknown field → start_timestamp, unknown order → desc;
 * 3. history and running jobs filtered on START_TIMESTAMP (both bounds inclusive) and STATUS, merged,
 *    sorted in memory (a job without end time sorts last either way), then sliced to the page.
 */
import type { ObBackupJobRow, ObJob } from '../fleet.js';
import { daysFromCivil } from '../../lib/time.js';

const DEFAULT_SIZE = 2147483647n;
const UINT64_MAX = (1n << 64n) - 1n;

export interface BackupJobsPage {
  contents: ObBackupJobRow[];
  page: { number: number | bigint; size: number | bigint; total_pages: number; total_elements: number };
}

/** The page, or the Go error text gin's binding would report. */
export function listBackupJobs(jobs: readonly ObJob[], query: URLSearchParams): { page: BackupJobsPage } | { bindError: string } | { panic: string } {
  // gin takes the first value of a repeated key; an empty value falls back to the tag's default.
  const get = (key: string) => query.get(key);
  let startNs: bigint | undefined;
  let endNs: bigint | undefined;
  let page: bigint;
  let size: bigint;
  try {
    startNs = bindTime(get('start_time'));
    endNs = bindTime(get('end_time'));
    page = bindUint(get('page'), 1n);
    size = bindUint(get('size'), DEFAULT_SIZE);
  } catch (err) {
    return { bindError: (err as Error).message };
  }
  if (page < 1n) page = 1n;
  if (size < 1n) size = DEFAULT_SIZE;
  const statusParam = get('status') ?? '';
  const statuses = statusParam === '' ? undefined : statusParam.toUpperCase().split(',');
  const [sortBy, sortOrder] = parseSort(get('sort'));

  // History rows first, then running ones, as `append(historyJobs, runningJobs...)`.
  const rows = [...jobs.filter((j) => !j.running), ...jobs.filter((j) => j.running)]
    .map((j) => ({ job: j.job, startNs: goTimeNs(j.job.start_timestamp)!, endNs: j.job.end_timestamp ? goTimeNs(j.job.end_timestamp) : undefined }))
    .filter((r) => (startNs === undefined || r.startNs >= startNs) && (endNs === undefined || r.startNs <= endNs))
    .filter((r) => statuses === undefined || statuses.includes(r.job.status));

  // Go's sort.Slice is not stable; job_id (in the same direction) makes ties deterministic here.
  const direction = sortOrder === 'asc' ? 1 : -1;
  rows.sort((a, b) => {
    const ka = sortBy === 'start_timestamp' ? a.startNs : a.endNs;
    const kb = sortBy === 'start_timestamp' ? b.startNs : b.endNs;
    if (ka === undefined || kb === undefined) {
      if (ka !== kb) return ka === undefined ? 1 : -1; // nil end time last, in both orders
    } else if (ka !== kb) {
      return (ka < kb ? -1 : 1) * direction;
    }
    return (a.job.job_id - b.job.job_id) * direction;
  });

  // `start := int((p.Page - 1) * p.Size); end := start + int(p.Size)`: uint64 arithmetic that wraps,
  // read as a signed int64; a negative bound makes the slice expression panic.
  const total = rows.length;
  const start = BigInt.asIntN(64, BigInt.asUintN(64, (page - 1n) * size));
  const end = BigInt.asIntN(64, start + BigInt.asIntN(64, size));
  let contents: typeof rows;
  if (start >= BigInt(total)) contents = [];
  else if (start < 0n || (end <= BigInt(total) && end < start)) return { panic: `slice bounds out of range [${start}:${end}]` };
  else contents = rows.slice(Number(start), Number(end > BigInt(total) ? BigInt(total) : end));
  return {
    page: {
      contents: contents.map((r) => goOrderedJob(r.job)),
      page: {
        number: jsonInt(page),
        size: jsonInt(size),
        // calculateTotalPages: math.Ceil over float64
        total_pages: Math.ceil(total / Number(size)),
        total_elements: total,
      },
    },
  };
}

function parseSort(raw: string | null): [string, string] {
  const parts = (raw || 'start_timestamp,desc').split(',');
  const by = parts[0] === 'end_timestamp' ? 'end_timestamp' : 'start_timestamp';
  const order = parts.length === 2 && parts[1] === 'asc' ? 'asc' : 'desc';
  return [by, order];
}

/** gin's uint64 binding: `strconv.ParseUint(v, 10, 64)`. */
function bindUint(raw: string | null, fallback: bigint): bigint {
  if (raw === null || raw === '') return fallback;
  if (!/^[0-9]+$/.test(raw)) throw new Error(`strconv.ParseUint: parsing ${goQuote(raw)}: invalid syntax`);
  const value = BigInt(raw);
  if (value > UINT64_MAX) throw new Error(`strconv.ParseUint: parsing ${goQuote(raw)}: value out of range`);
  return value;
}

/** gin's `*time.Time` binding: RFC 3339 via `time.ParseInLocation`; an empty value is the zero time. */
function bindTime(raw: string | null): bigint | undefined {
  if (raw === null) return undefined;
  if (raw === '') return goTimeNs('0001-01-01T00:00:00Z');
  const ns = goTimeNs(raw);
  // Go names the layout element that failed; this keeps the shape of the message, not that detail.
  if (ns === undefined) throw new Error(`parsing time ${goQuote(raw)} as "2006-01-02T15:04:05Z07:00": cannot parse ${goQuote(raw)} as "2006"`);
  return ns;
}

/**
 * Nanoseconds since the Unix epoch of an RFC 3339 time as Go's `time.Parse(time.RFC3339, …)` reads
 * it (a fraction of any length is accepted), or undefined when Go would refuse it.
 */
export function goTimeNs(text: string): bigint | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const monthDays = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
  if (monthDays === undefined || d < 1 || d > monthDays || h > 23 || mi > 59 || s > 59) return undefined;
  const offsetH = m[9] === undefined ? 0 : Number(m[9]);
  const offsetM = m[10] === undefined ? 0 : Number(m[10]);
  if (offsetH > 23 || offsetM > 59) return undefined;
  const offsetSeconds = (m[8] === '-' ? -1 : 1) * (offsetH * 3600 + offsetM * 60);
  const seconds = BigInt(daysFromCivil(y, mo, d)) * 86400n + BigInt(h * 3600 + mi * 60 + s - offsetSeconds);
  const fraction = BigInt(((m[7] ?? '') + '000000000').slice(0, 9));
  return seconds * 1_000_000_000n + fraction;
}

/** Go's `%q` for the plain strings a query can hold. */
function goQuote(text: string): string {
  return JSON.stringify(text);
}

/** A uint64 as JSON: a number when exact, else a bigint (written as a raw integer literal). */
function jsonInt(value: bigint): number | bigint {
  return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
}

/** `bo.BackupJob` in its Go field order; `end_timestamp` omitted while the job runs. */
function goOrderedJob(job: ObBackupJobRow): ObBackupJobRow {
  return {
    tenant_id: job.tenant_id,
    job_id: job.job_id,
    backup_set_id: job.backup_set_id,
    plus_archivelog: job.plus_archivelog,
    backup_type: job.backup_type,
    start_timestamp: job.start_timestamp,
    ...(job.end_timestamp === undefined ? {} : { end_timestamp: job.end_timestamp }),
    status: job.status,
    result: job.result,
    comment: job.comment,
    description: job.description,
    path: job.path,
  };
}
