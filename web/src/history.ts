/**
 * One target's backup history over its cursor connection, by numbered pages: page N is
 * `first: PAGE_SIZE, after: <page N's cursor>` from the connection's `pageCursors`. A page whose
 * cursor is not known yet (a link straight to page 9) is reached through the pages around the
 * known ones, a few pages a request.
 */
import { ask, type ApiError } from './api';
import type { BackupStatus, DashboardChartQuery, DashboardHistoryQuery, DashboardPageCursorsFragment, DashboardTimeRangeFragment } from './gql/graphql';
import { backupKey, progressOf, type LiveBackup } from './live';
import { ChartQuery, HistoryQuery } from './queries';

export const PAGE_SIZE = 20;
const CHART_SIZE = 100;
/** Requests one page view may take to find a page's cursor. */
const MAX_SEEK = 50;

export type PageCursors = DashboardPageCursorsFragment;
export type TimeRange = DashboardTimeRangeFragment;

/** A tenant's log archiving (`DOING` is healthy). */
export interface LogArchive {
  status: string;
  checkpoint: string | null;
  delaySeconds: number | null;
}

export interface HistoryRow {
  id: string;
  /** Which backup it is, for the live news of it (live.ts `backupKey`). */
  key: string;
  status: BackupStatus;
  providerStatus: string;
  startedAt: string | null;
  finishedAt: string | null;
  sizeBytes: number | null;
  type: string | null;
  detail: string | null;
  /** How far it got, in percent, where the provider tells. */
  progress: number | null;
}
export interface HistoryPage {
  kind: 'ObTenant' | 'DcsInstance' | 'RdsInstance';
  id: string;
  name: string;
  provider: string;
  source: string;
  /** OceanBase's `sys` tenant (never backed up on its own). */
  system: boolean;
  /** The spans a restore can reach, oldest first; `null` when the upstream does not tell (obshell older than 4.3.2.0, `sys`). */
  restorableWindow: TimeRange[] | null;
  /** OceanBase only: its log archiving; `null` when the agent does not tell. */
  logArchive: LogArchive | null;
  /** `null` when the history could not be read (see `errors`) or the agent keeps none. */
  connection: {
    totalCount: number;
    pages: number;
    /** The page this answer is. */
    page: number;
    hasNextPage: boolean;
    endCursor: string | null;
    pageCursors: PageCursors;
    rows: HistoryRow[];
  } | null;
  errors: ApiError[];
}

type Node = DashboardHistoryQuery['node'];

/** What a DCS or RDS instance's page shows above its backups. */
function instanceBase(node: Extract<NonNullable<Node>, { __typename: 'DcsInstance' | 'RdsInstance' }>): Omit<HistoryPage, 'connection' | 'errors'> {
  return {
    kind: node.__typename,
    id: node.id,
    name: node.name ?? node.instanceId,
    provider: node.provider,
    source: node.source,
    system: false,
    restorableWindow: node.restorableWindow ?? null,
    logArchive: null,
  };
}

function normalize(node: Node, errors: ApiError[]): HistoryPage | null {
  if (!node) return null;
  let base: Omit<HistoryPage, 'connection' | 'errors'>;
  let raw: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; pageCursors: PageCursors; nodes: HistoryRow[] } | null;
  switch (node.__typename) {
    case 'ObTenant':
      base = {
        kind: node.__typename,
        id: node.id,
        name: node.tenantName,
        provider: node.provider,
        source: node.source,
        system: node.isSystemTenant,
        restorableWindow: node.restorableWindow ?? null,
        logArchive: node.logArchive ?? null,
      };
      raw = node.jobs && {
        ...node.jobs,
        nodes: node.jobs.nodes.map(({ backupType, comment, tenantId, jobId, ...n }) => ({
          ...n,
          key: backupKey({ __typename: 'ObBackupJob', id: n.id, source: node.source, tenantId, jobId }),
          type: backupType,
          detail: comment && comment !== '0' ? comment : null,
          // The job list tells no progress; the tenant's running (or latest) task does.
          progress: node.latestBackup?.jobId === jobId ? tabletProgress(node.latestBackup) : null,
        })),
      };
      break;
    case 'DcsInstance':
      base = instanceBase(node);
      raw = node.dcsBackups && {
        ...node.dcsBackups,
        nodes: node.dcsBackups.nodes.map(({ backupType, errorCode, ...n }) => ({ ...n, key: n.id, type: backupType, detail: errorCode })),
      };
      break;
    case 'RdsInstance':
      base = instanceBase(node);
      raw = node.rdsBackups && {
        ...node.rdsBackups,
        nodes: node.rdsBackups.nodes.map(({ backupType, ...n }) => ({ ...n, key: n.id, type: backupType, detail: null, progress: null })),
      };
      break;
    default:
      return null;
  }
  if (!raw) return { ...base, connection: null, errors };
  const pages = Math.max(1, Math.ceil(raw.totalCount / PAGE_SIZE));
  const current = raw.pageCursors.around.find((p) => p.isCurrent)?.page ?? 1;
  return {
    ...base,
    errors,
    connection: {
      totalCount: raw.totalCount,
      pages,
      page: current,
      hasNextPage: raw.pageInfo.hasNextPage,
      endCursor: raw.pageInfo.endCursor,
      pageCursors: raw.pageCursors,
      rows: raw.nodes,
    },
  };
}

function tabletProgress(task: { tabletCount: number | null; finishTabletCount: number | null }): number | null {
  return task.tabletCount && task.finishTabletCount !== null ? (100 * task.finishTabletCount) / task.tabletCount : null;
}

/** A backup heard of live (or started here) as a row of its target's history. */
export function historyRow(backup: LiveBackup): HistoryRow {
  const common = {
    id: backup.id,
    key: backupKey(backup),
    status: backup.status,
    providerStatus: backup.providerStatus,
    startedAt: backup.startedAt,
    finishedAt: backup.finishedAt,
    sizeBytes: backup.sizeBytes,
    progress: progressOf(backup),
  };
  switch (backup.__typename) {
    case 'ObBackupJob':
      return { ...common, type: backup.backupType, detail: backup.comment && backup.comment !== '0' ? backup.comment : null };
    case 'ObBackupTask':
      return { ...common, type: null, detail: backup.comment && backup.comment !== '0' ? backup.comment : null };
    case 'DcsBackup':
      return { ...common, type: backup.backupType, detail: backup.errorCode };
    case 'RdsBackup':
      return { ...common, type: backup.backupType, detail: null };
  }
}

/** Page cursors learnt so far, per target (page size is fixed). */
const known = new Map<string, Map<number, string>>();

function learn(id: string, page: HistoryPage): void {
  const c = page.connection;
  if (!c) return;
  let cursors = known.get(id);
  if (!cursors) known.set(id, (cursors = new Map<number, string>()));
  const { first, last, around, previous } = c.pageCursors;
  for (const p of [first, last, previous, ...around]) if (p) cursors.set(p.page, p.cursor);
  if (c.hasNextPage && c.endCursor) cursors.set(c.page + 1, c.endCursor);
}

/** The cursor to pass as `after` for a page (page 1: none), when known. */
export function cursorOf(id: string, page: number): string | null | undefined {
  return page === 1 ? null : known.get(id)?.get(page);
}

async function fetchPage(id: string, page: number, signal: AbortSignal): Promise<HistoryPage | null> {
  const after = cursorOf(id, page);
  const answer = await ask(HistoryQuery, { id, first: PAGE_SIZE, after: after ?? null }, signal);
  const result = normalize(answer.data.node, answer.errors);
  if (result) learn(id, result);
  return result;
}

/**
 * Page `page` of the target's history (the last page when there are fewer), or `null` when the
 * ID names no tenant or instance.
 */
export async function loadHistory(id: string, page: number, signal: AbortSignal): Promise<HistoryPage | null> {
  let wanted = page;
  let at = nearestKnown(id, wanted);
  for (let step = 0; step < MAX_SEEK; step++) {
    const result = await fetchPage(id, at, signal);
    const c = result?.connection;
    if (!result || !c) return result;
    wanted = Math.min(wanted, c.pages);
    if (c.page === wanted) return result;
    const next = nearestKnown(id, wanted);
    // No nearer page known (the list shrank under us): show what there is.
    if (next === at) return result;
    at = next;
  }
  return fetchPage(id, at, signal);
}

function nearestKnown(id: string, page: number): number {
  if (page === 1) return 1;
  if (cursorOf(id, page)) return page;
  let best = 1;
  for (const p of known.get(id)?.keys() ?? []) if (p <= page && p > best) best = p;
  return best;
}

export interface ChartPoint {
  t: number;
  sizeBytes: number | null;
  seconds: number | null;
}

/** The target's newest successful backups, oldest first: when each started, its size and duration. */
export async function loadChart(id: string, signal: AbortSignal): Promise<ChartPoint[]> {
  const answer = await ask(ChartQuery, { id, first: CHART_SIZE }, signal);
  const node: DashboardChartQuery['node'] = answer.data.node;
  const nodes =
    node?.__typename === 'ObTenant'
      ? node.jobs?.nodes
      : node?.__typename === 'DcsInstance'
        ? node.dcsBackups?.nodes
        : node?.__typename === 'RdsInstance'
          ? node.rdsBackups?.nodes
          : undefined;
  return (nodes ?? [])
    .filter((n) => n.status === 'SUCCEEDED' && n.startedAt)
    .map((n) => {
      const started = Date.parse(n.startedAt!);
      const finished = n.finishedAt ? Date.parse(n.finishedAt) : NaN;
      return { t: started / 1000, sizeBytes: n.sizeBytes, seconds: Number.isFinite(finished) ? Math.max(0, (finished - started) / 1000) : null };
    })
    .sort((a, b) => a.t - b.t);
}
