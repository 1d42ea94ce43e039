/**
 * `backupCoverage`: one item per protected object (every OceanBase user tenant, every DCS and RDS
 * instance) with its state by the rules of contract §7, worst first. Each provider tells the
 * facts of its targets at the fewest calls its upstream allows (`SourceSession.coverage`); the
 * rules, the order, the summary and the paging are here, the same for every provider.
 */
import { BadInputError, type ProviderKind } from '../core/errors.js';
import type { BackupCommon, NodeLike } from '../core/models.js';
import type { CoverageFacts, SourceSession, Target } from '../core/provider.js';
import type { ConnectionArgs } from '../pagination/args.js';
import { listKey } from '../pagination/cursor.js';
import { rethrowIfFatal, selectSources, type Operation, type Report, type SourceFilter } from './fleet.js';
import { encodeCursor, pageOfStreams, parseKeysetArgs, type CursorCodec, type KeysetConnection, type KeysetRequest } from './keyset.js';
import { MemoryStream, type Order } from './streams.js';

const HOUR = 3_600_000;

export type CoverageState = 'OK' | 'STALE' | 'FAILING' | 'RUNNING' | 'NEVER' | 'UNKNOWN';
export type CoverageReason =
  'NEVER_BACKED_UP' | 'LAST_BACKUP_FAILED' | 'NO_SUCCESS_WITHIN_RPO' | 'ARCHIVE_LAG' | 'ARCHIVE_STOPPED' | 'SOURCE_UNREACHABLE' | 'NOT_YET_READ';

/** Worst first. */
const RANK: Record<CoverageState, number> = { NEVER: 0, FAILING: 1, STALE: 2, UNKNOWN: 3, RUNNING: 4, OK: 5 };

export interface CoverageItem {
  kind: 'BackupCoverage';
  source: string;
  provider: ProviderKind;
  targetId: string;
  target: NodeLike;
  state: CoverageState;
  reasons: CoverageReason[];
  lastBackup: BackupCommon | null;
  lastSuccessfulBackup: BackupCommon | null;
  lastSuccessAt: Date | null;
  ageSeconds: number | null;
  rpoHours: number;
  /** What the upstream could not tell (agents without job history), when anything. */
  limitation: string | null;
  /** Where the archive checkpoint (OceanBase) or the reported restorable window (RDS) ends; null when not reported. */
  restorableUntil: Date | null;
  /** From the snapshot: when the target was read upstream (null: not yet). Absent: read by this operation. */
  asOf?: Date | null;
  /** From the snapshot: its last refresh, or its source's listing, failed (what it says is the last known). */
  stale?: boolean;
}

export interface CoverageSummary {
  total: number;
  ok: number;
  stale: number;
  failing: number;
  running: number;
  never: number;
  unknown: number;
}

export interface CoverageFilter extends SourceFilter {
  states?: readonly CoverageState[] | null;
}

export interface CoverageConnection extends KeysetConnection<CoverageItem> {
  summary: CoverageSummary;
}

export interface CoverageKey {
  rank: number;
  /** `lastSuccessAt` (ms): the older the success, the worse; none at all is worst. */
  at: number | null;
  id: string;
}

export const COVERAGE_ORDER: Order<CoverageItem, CoverageKey> = {
  key: (item) => ({ rank: RANK[item.state], at: item.lastSuccessAt?.getTime() ?? null, id: item.targetId }),
  compare(a, b) {
    if (a.rank !== b.rank) return a.rank - b.rank;
    if (a.at !== b.at) {
      if (a.at === null) return -1;
      if (b.at === null) return 1;
      return a.at - b.at;
    }
    return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
  },
};

const COVERAGE_CURSOR: CursorCodec<CoverageKey, null> = {
  write: (key) => [key.rank, key.at, key.id],
  read([rank, at, id, ...rest]) {
    const ok =
      rest.length === 0 &&
      typeof rank === 'number' &&
      Number.isInteger(rank) &&
      rank >= 0 &&
      rank <= 5 &&
      (at === null || (typeof at === 'number' && Number.isSafeInteger(at))) &&
      typeof id === 'string';
    return ok ? { key: { rank, at, id }, context: null } : undefined;
  },
};

/**
 * The state and reasons of one target by contract §7, given its facts. `toleranceMinutes`: how far
 * behind now the archive checkpoint or a reported restorable window may end (a derived one, as for
 * DCS, is never given here and does not count).
 */
export function assess(
  facts: CoverageFacts,
  now: number,
  rpoHours: number,
  toleranceMinutes = 60,
): Pick<CoverageItem, 'state' | 'reasons' | 'lastSuccessAt' | 'ageSeconds' | 'restorableUntil'> {
  const success = facts.lastSuccess;
  const lastSuccessAt = success ? (success.finishedAt ?? success.startedAt) : null;
  const ageSeconds = lastSuccessAt ? Math.max(0, (now - lastSuccessAt.getTime()) / 1000) : null;
  const withinRpo = ageSeconds !== null && ageSeconds <= rpoHours * 3600;
  const failed = facts.newestFinished?.status === 'FAILED';
  const stopped = facts.archive?.stopped === true;
  // The point the log archive (or the reported window) reaches: null when the upstream reports none.
  const reaches = facts.archive ? facts.archive.checkpoint : (facts.restorableUntil ?? undefined);
  const reported = facts.archive !== undefined && facts.archive !== null ? true : facts.restorableUntil !== undefined && facts.restorableUntil !== null;
  const lagging = reported && !stopped && (reaches === null || reaches === undefined || now - reaches.getTime() > toleranceMinutes * 60_000);
  const reasons: CoverageReason[] = [];
  if (!facts.hasAny) reasons.push('NEVER_BACKED_UP');
  if (failed) reasons.push('LAST_BACKUP_FAILED');
  if (!withinRpo) reasons.push('NO_SUCCESS_WITHIN_RPO');
  if (stopped) reasons.push('ARCHIVE_STOPPED');
  if (lagging) reasons.push('ARCHIVE_LAG');
  const ok = withinRpo && !stopped && !lagging;
  const state: CoverageState = !facts.hasAny ? 'NEVER' : failed ? 'FAILING' : ok ? 'OK' : facts.running ? 'RUNNING' : 'STALE';
  return { state, reasons, lastSuccessAt, ageSeconds, restorableUntil: reaches ?? null };
}

export function checkRpo(rpoHours: number | null | undefined): number | null {
  if (rpoHours === null || rpoHours === undefined) return null;
  if (!Number.isFinite(rpoHours) || rpoHours <= 0 || rpoHours > 24 * 365 * 10) {
    throw new BadInputError('`rpoHours` must be more than 0 and at most 87600 (ten years).', 'rpoHours');
  }
  return rpoHours;
}

/** What a coverage request asks for, checked and decoded before anything is read. */
export interface CoverageRequest {
  filter: CoverageFilter;
  rpoOverride: number | null;
  states: ReadonlySet<CoverageState> | null;
  list: string;
  request: KeysetRequest<CoverageKey, null>;
}

export function coverageRequest(args: ConnectionArgs, filter: CoverageFilter | null | undefined, rpoHoursArg: number | null | undefined): CoverageRequest {
  const f = filter ?? {};
  const rpoOverride = checkRpo(rpoHoursArg);
  const states = f.states && f.states.length > 0 ? new Set(f.states) : null;
  const list = listKey(['backupCoverage', { ...f, states: states ? [...states].sort() : null }, rpoOverride]);
  return { filter: f, rpoOverride, states, list, request: parseKeysetArgs(args, list, COVERAGE_CURSOR) };
}

/** One page of coverage items (`kept`: filtered by state; `keys`: their keys when `kept` is already in order). */
export async function coveragePage(
  req: CoverageRequest,
  kept: readonly CoverageItem[],
  keys?: readonly CoverageKey[],
  summary: CoverageSummary = summarize(kept),
): Promise<CoverageConnection> {
  const page = await pageOfStreams([new MemoryStream(kept, COVERAGE_ORDER, keys)], COVERAGE_ORDER, req.request, (item) =>
    encodeCursor(req.list, COVERAGE_CURSOR.write(COVERAGE_ORDER.key(item), null)),
  );
  return { ...page, summary };
}

/** The counts by state of a list of items. */
export function summarize(items: readonly CoverageItem[]): CoverageSummary {
  const summary: CoverageSummary = { total: items.length, ok: 0, stale: 0, failing: 0, running: 0, never: 0, unknown: 0 };
  for (const item of items) summary[item.state.toLowerCase() as Lowercase<CoverageState>]++;
  return summary;
}

export async function backupCoverage(
  op: Operation,
  args: ConnectionArgs,
  filter: CoverageFilter | null | undefined,
  rpoHoursArg: number | null | undefined,
  report: Report,
): Promise<CoverageConnection> {
  const req = coverageRequest(args, filter, rpoHoursArg);
  const items = await coverageItems(op, req.filter, req.rpoOverride, report);
  return coveragePage(
    req,
    items.filter((item) => !req.states || req.states.has(item.state)),
  );
}

/** Every selected target's coverage item (unordered, unfiltered by state): the list, and what the live pollers compare. */
export async function coverageItems(op: Operation, f: SourceFilter, rpoOverride: number | null, report: Report): Promise<CoverageItem[]> {
  const selected = selectSources(op, f);
  const groups = selected.flatMap(({ session, kinds }) => session.targets(kinds).map((group) => ({ session, group })));
  const listed = await Promise.all(
    groups.map(async ({ session, group }) => {
      try {
        const targets = await group.load();
        op.fleet.remember(session.source, group.kind, targets);
        return targets.map((target) => ({ session, target, unreachable: false }));
      } catch (error) {
        rethrowIfFatal(error);
        report(error);
        // Its targets as last seen, each UNKNOWN: a source that is down does not make them vanish.
        return op.fleet.remembered(session.source, group.kind).map((target) => ({ session, target, unreachable: true }));
      }
    }),
  );
  const targets = listed.flat();
  op.budget.reserve(targets.length, `the coverage of ${targets.length} targets`);

  return Promise.all(
    targets.map(({ session, target, unreachable }) => {
      const rpoHours = rpoOverride ?? op.source(session.source)!.config.rpoHours;
      return unreachable ? Promise.resolve(unknownItem(target, rpoHours)) : assessTarget(op, session, target, rpoHours, report);
    }),
  );
}

async function assessTarget(op: Operation, session: SourceSession, target: Target, rpoHours: number, report: Report): Promise<CoverageItem> {
  try {
    const facts = await session.coverage(target, op.now - rpoHours * HOUR);
    return {
      ...base(target, rpoHours),
      ...assess(facts, op.now, rpoHours, op.source(session.source)!.config.archiveLagToleranceMinutes),
      lastBackup: facts.lastBackup,
      lastSuccessfulBackup: facts.lastSuccess,
      limitation: facts.limitation ?? null,
    };
  } catch (error) {
    rethrowIfFatal(error);
    report(error);
    return unknownItem(target, rpoHours);
  }
}

export function base(target: Target, rpoHours: number) {
  if (!target.model) throw new Error(`coverage of ${target.id} without its object`);
  return { kind: 'BackupCoverage' as const, source: target.source, provider: target.kind, targetId: target.id, target: target.model, rpoHours };
}

export function unknownItem(target: Target, rpoHours: number, reason: CoverageReason = 'SOURCE_UNREACHABLE'): CoverageItem {
  return {
    ...base(target, rpoHours),
    state: 'UNKNOWN',
    reasons: [reason],
    lastBackup: null,
    lastSuccessfulBackup: null,
    lastSuccessAt: null,
    ageSeconds: null,
    limitation: null,
    restorableUntil: null,
  };
}
