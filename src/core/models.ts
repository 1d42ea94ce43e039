/**
 * What the provider-agnostic core knows of the objects the provider modules build. Each model
 * carries `kind` (its GraphQL type, set where the object is built from a known upstream answer;
 * unions and interfaces resolve from it, never from an object's shape) and its global `id`.
 */
import type { ProviderKind } from './errors.js';

/** The one status vocabulary of contract §5. */
export type BackupStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'DELETING' | 'DELETED' | 'EXPIRED' | 'UNKNOWN';

/** Any object with a global ID (the `Node` interface). */
export interface NodeLike {
  kind: string;
  id: string;
}

/** What every backup model has (the `Backup` interface). */
export interface BackupCommon extends NodeLike {
  provider: ProviderKind;
  source: string;
  status: BackupStatus;
  providerStatus: string;
  startedAt: Date | null;
  finishedAt: Date | null;
  sizeBytes: number | null;
}

/** Still going: accepted, running, or being cancelled. */
export function inProgress(status: BackupStatus): boolean {
  return status === 'PENDING' || status === 'RUNNING' || status === 'CANCELING';
}

/** Ended, one way or another (a status no mapping knows counts as neither). */
export function finished(status: BackupStatus): boolean {
  return status !== 'UNKNOWN' && !inProgress(status);
}

/** Whether a backup passes a status filter (absent or empty: every status). */
export function statusWanted(status: BackupStatus, statuses: readonly BackupStatus[] | null | undefined): boolean {
  return !statuses || statuses.length === 0 || statuses.includes(status);
}

/** A span a restore can reach (`TimeRange`): derived here, or reported by the upstream. */
export interface TimeRangeModel {
  from: Date;
  until: Date;
  derived: boolean;
}
