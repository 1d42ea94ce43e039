/** OceanBase's status words onto the one `BackupStatus` (contract §5). */
import type { BackupStatus } from '../../core/models.js';

/** Task and job statuses that are phases of a running backup (notes §2.5). */
const PHASE = /^(BACKUP_[A-Z_]+|BEFORE_BACKUP_LOG|PREPARE_BACKUP_LOG)$/;

const STATUS: Record<string, BackupStatus> = {
  INIT: 'PENDING',
  DOING: 'RUNNING',
  COMPLETED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELING: 'CANCELING',
  CANCELED: 'CANCELED',
};

export function obBackupStatus(status: string): BackupStatus {
  return STATUS[status] ?? (PHASE.test(status) ? 'RUNNING' : 'UNKNOWN');
}

/**
 * The job statuses a set of `BackupStatus` values covers, for the agent's `status` filter;
 * `null` when the set cannot be expressed upstream (it holds `UNKNOWN`).
 */
export function obJobStatusesFor(statuses: readonly BackupStatus[]): string[] | null {
  if (statuses.includes('UNKNOWN')) return null;
  const wanted = new Set(statuses);
  return Object.entries(STATUS)
    .filter(([, mapped]) => wanted.has(mapped))
    .map(([upstream]) => upstream);
}
