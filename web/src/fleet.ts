/**
 * The fleet-wide part of the page: the whole coverage list (every target, worst first), the
 * newest backups, and which sources could be read, from the errors those answers carry.
 */
import { ask, ApiUnavailable, type ApiError } from './api';
import type { DashboardCoverageQuery, DashboardRecentQuery } from './gql/graphql';
import { CoverageQuery, RecentQuery } from './queries';

export type CoverageItem = DashboardCoverageQuery['backupCoverage']['nodes'][number];
export type Summary = DashboardCoverageQuery['backupCoverage']['summary'];
export type Recent = DashboardRecentQuery['backupTasks'];
export type RecentItem = Recent['nodes'][number];

/** Coverage pages of 100 are read until the list ends, at most this many (10,000 targets). */
const MAX_COVERAGE_PAGES = 100;
export const RECENT_COUNT = 20;

export interface Coverage {
  summary: Summary;
  items: CoverageItem[];
  errors: ApiError[];
  /** The API's "now" (its clock can differ from the browser's), when an item tells it. */
  serverNow: number | null;
  /**
   * When the least recently read target was read upstream (the API's snapshot; a live answer: its
   * "now"); null while one was never read.
   */
  asOf: string | null;
}

export async function loadCoverage(signal: AbortSignal): Promise<Coverage> {
  const first = await ask(CoverageQuery, { first: 100, after: null }, signal);
  const items = [...first.data.backupCoverage.nodes];
  const errors = [...first.errors];
  let asOf = first.data.backupCoverage.asOf ?? null;
  let pageInfo = first.data.backupCoverage.pageInfo;
  for (let page = 1; pageInfo.hasNextPage && pageInfo.endCursor && page < MAX_COVERAGE_PAGES; page++) {
    const next = await ask(CoverageQuery, { first: 100, after: pageInfo.endCursor }, signal);
    items.push(...next.data.backupCoverage.nodes);
    errors.push(...next.errors);
    const at = next.data.backupCoverage.asOf ?? null;
    if (asOf !== null && (at === null || Date.parse(at) < Date.parse(asOf))) asOf = at;
    pageInfo = next.data.backupCoverage.pageInfo;
  }
  // ageSeconds is counted from the API's clock: lastSuccessAt + ageSeconds is its "now".
  const dated = items.find((i) => i.lastSuccessAt && typeof i.ageSeconds === 'number');
  const serverNow = dated ? Date.parse(dated.lastSuccessAt!) + dated.ageSeconds! * 1000 : null;
  return { summary: first.data.backupCoverage.summary, items, errors, serverNow, asOf };
}

export async function loadRecent(signal: AbortSignal): Promise<{ recent: Recent; errors: ApiError[] }> {
  const answer = await ask(RecentQuery, { first: RECENT_COUNT }, signal);
  return { recent: answer.data.backupTasks, errors: answer.errors };
}

export interface SourceStatus {
  name: string;
  /** The providers of its targets (a Huawei Cloud project has DCS and RDS). */
  providers: string[];
  /** Targets of the source in the coverage list. */
  targets: number;
  reachable: boolean;
  /** What went wrong, when it is not reachable (the first error naming it). */
  error: { code: string; message: string } | null;
}

/**
 * Every source the answers name (the coverage items' sources and the sources named in errors), by
 * name; a source named by an error is unreachable.
 */
export function sourcesOf(items: readonly CoverageItem[], errors: readonly ApiError[]): SourceStatus[] {
  const sources = new Map<string, SourceStatus>();
  const entry = (name: string, provider: unknown): SourceStatus => {
    let status = sources.get(name);
    if (!status) {
      status = { name, providers: [], targets: 0, reachable: true, error: null };
      sources.set(name, status);
    }
    if (typeof provider === 'string' && provider && !status.providers.includes(provider)) status.providers.push(provider);
    return status;
  };
  for (const item of items) entry(item.source, item.provider).targets++;
  for (const error of errors) {
    const name = error.extensions?.source;
    if (typeof name !== 'string' || !name) continue;
    const status = entry(name, error.extensions?.provider);
    if (status.reachable) {
      status.reachable = false;
      status.error = { code: String(error.extensions?.code ?? 'ERROR'), message: error.message };
    }
  }
  return [...sources.values()].sort((a, b) => a.name.localeCompare(b.name));
}

/** Errors that name no source (the page shows them apart), without repeats. */
export function otherErrors(errors: readonly ApiError[]): ApiError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    if (typeof e.extensions?.source === 'string') return false;
    const key = `${e.extensions?.code ?? ''} ${e.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

export function targetName(target: CoverageItem['target']): string {
  switch (target.__typename) {
    case 'ObTenant':
      return target.tenantName;
    case 'DcsInstance':
    case 'RdsInstance':
      return target.name ?? target.instanceId;
  }
}

/** The tenant or instance a backup is of: its name and ID (for the link to its history). */
export function backupTarget(item: RecentItem): { id: string | null; name: string } {
  switch (item.__typename) {
    case 'ObBackupJob':
    case 'ObBackupTask':
      return item.tenant ? { id: item.tenant.id, name: item.tenant.tenantName } : { id: null, name: `tenant ${item.source}` };
    case 'DcsBackup':
    case 'RdsBackup':
      return item.instance ? { id: item.instance.id, name: item.instance.name ?? item.instance.instanceId } : { id: null, name: '—' };
  }
}

export function messageOf(error: unknown): string {
  if (error instanceof ApiUnavailable) return error.message;
  if (error instanceof Error) return error.message;
  return String(error);
}
