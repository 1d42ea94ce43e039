/**
 * How far back the simulated resources can be restored, at a given instant: the effective log
 * archive round of an OceanBase tenant (what `/backup/info` and `/backup/log/tasks` read from
 * CDB_OB_ARCHIVELOG_SUMMARY) and the restorable windows of an RDS instance (what `restore-time`
 * answers). The simulators and the gateway's tests both compute from here, so their expected
 * values follow the fleet data (docs/upstreams.md, "# Upstream recoverability endpoints").
 */
import type { ObArchiveSim, ObTenantSim, RdsInstanceSim } from './fleet.js';

const DAY = 86_400_000;

/** Default archive lag of a running round (ms). */
export const DEFAULT_ARCHIVE_LAG_MS = 20_000;
/** Default RDS window end: this far behind now (ms). */
export const DEFAULT_RESTORE_END_LAG_MS = 300_000;

/** Round states `/backup/log/tasks` lists (`WHERE status IN (…)`); STOP and INTERRUPTED are not. */
export const LISTED_ARCHIVE_STATUSES: readonly ObArchiveSim['status'][] = ['BEGINNING', 'DOING', 'STOPPING', 'PREPARE', 'SUSPEND'];

export interface ObArchiveAt {
  roundId: number;
  status: ObArchiveSim['status'];
  startMs: number;
  checkpointMs: number;
  path: string;
}

/**
 * The tenant's archive round as it stands at `now`, or null when the tenant never archived.
 * Absent `archive`: a DOING round 1 from the tenant's oldest job start (or 30 days before `now`
 * with no job), 20 s behind, at `file:///data/archive/<tenant_id>`. Checkpoint = `checkpointMs ??
 * now - lagMs`.
 */
export function obArchiveAt(tenant: ObTenantSim, now: number): ObArchiveAt | null {
  const archive = tenant.archive;
  if (archive === null) return null;
  if (archive === undefined) {
    const oldest = tenant.jobs.reduce<number | undefined>((min, j) => (min === undefined || j.startMs < min ? j.startMs : min), undefined);
    return {
      roundId: 1,
      status: 'DOING',
      startMs: oldest ?? now - 30 * DAY,
      checkpointMs: now - DEFAULT_ARCHIVE_LAG_MS,
      path: defaultArchivePath(tenant),
    };
  }
  return {
    roundId: archive.roundId,
    status: archive.status,
    startMs: archive.startMs,
    checkpointMs: archive.checkpointMs ?? now - (archive.lagMs ?? DEFAULT_ARCHIVE_LAG_MS),
    path: archive.path,
  };
}

export function defaultArchivePath(tenant: ObTenantSim): string {
  return `file:///data/archive/${tenant.row.tenant_id}`;
}

/**
 * obshell's delay: `truncate((now_us - checkpoint_us) / 1e6, 4)` seconds. From whole
 * milliseconds: ms × 10 is exact, so truncating it gives the 4-decimal value exactly.
 */
export function archiveDelaySeconds(checkpointMs: number, now: number): number {
  return Math.trunc((now - checkpointMs) * 10) / 10_000;
}

/** `yyyy-mm-ddThh:mm:ss±hhmm` (how the fleet writes RDS times) → epoch ms. */
function rdsEpoch(text: string): number | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:Z|([+-])(\d{2}):?(\d{2}))$/.exec(text);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const local = Date.UTC(y, mo - 1, d, h, mi, s);
  const offset = m[7] === undefined ? 0 : (Number(m[8]) * 60 + Number(m[9])) * 60_000 * (m[7] === '-' ? -1 : 1);
  return local - offset;
}

/** End (epoch ms) of the instance's oldest COMPLETED backup, or undefined when it has none. */
export function oldestCompletedEndMs(instance: RdsInstanceSim): number | undefined {
  let oldest: RdsInstanceSim['backups'][number] | undefined;
  for (const b of instance.backups) if (b.row.status === 'COMPLETED' && (!oldest || b.beginMs < oldest.beginMs)) oldest = b;
  if (!oldest) return undefined;
  return rdsEpoch(oldest.row.end_time) ?? oldest.beginMs;
}

/**
 * The instance's restorable windows at `now`, sorted by start; windows that would end before they
 * start (e.g. a lag longer than the window) are left out. Absent `restoreWindows`: one window
 * from the end of the oldest COMPLETED backup to `now - 300 000`, none without a completed backup.
 */
export function rdsRestoreWindowsAt(instance: RdsInstanceSim, now: number): { startMs: number; endMs: number }[] {
  let windows: { startMs: number; endMs: number }[];
  if (instance.restoreWindows === undefined) {
    const start = oldestCompletedEndMs(instance);
    windows = start === undefined ? [] : [{ startMs: start, endMs: now - DEFAULT_RESTORE_END_LAG_MS }];
  } else {
    windows = instance.restoreWindows.map((w) => ({ startMs: w.startMs, endMs: w.endMs ?? now - (w.endLagMs ?? 0) }));
  }
  return windows.filter((w) => w.endMs >= w.startMs).sort((a, b) => a.startMs - b.startMs);
}

/**
 * `date=yyyy-mm-dd` (a UTC day) → [first ms, last ms] of that day, or undefined when the text is
 * not such a date (a real calendar day).
 */
export function utcDayRange(date: string): { startMs: number; endMs: number } | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  const [y, mo, d] = m.slice(1, 4).map(Number) as [number, number, number];
  const startMs = Date.UTC(y, mo - 1, d);
  const t = new Date(startMs);
  if (t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) return undefined;
  return { startMs, endMs: startMs + DAY - 1 };
}

/**
 * The windows' parts within a UTC day (`date` filter): each clipped to the day's first and last
 * millisecond; windows outside the day are dropped. (How RDS clips is not documented: a choice.)
 */
export function clipWindowsToDay(windows: readonly { startMs: number; endMs: number }[], day: { startMs: number; endMs: number }) {
  return windows
    .filter((w) => w.endMs >= day.startMs && w.startMs <= day.endMs)
    .map((w) => ({ startMs: Math.max(w.startMs, day.startMs), endMs: Math.min(w.endMs, day.endMs) }));
}
