/** The status mapping of contract §5: every provider's words onto one `BackupStatus`. */

export type BackupStatus = 'PENDING' | 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'CANCELING' | 'CANCELED' | 'DELETING' | 'DELETED' | 'EXPIRED' | 'UNKNOWN';

/** OceanBase task and job statuses that are phases of a running backup (notes §2.5). */
const OB_PHASE = /^(BACKUP_[A-Z_]+|BEFORE_BACKUP_LOG|PREPARE_BACKUP_LOG)$/;

const OB: Record<string, BackupStatus> = {
  INIT: 'PENDING',
  DOING: 'RUNNING',
  COMPLETED: 'SUCCEEDED',
  FAILED: 'FAILED',
  CANCELING: 'CANCELING',
  CANCELED: 'CANCELED',
};

const DCS: Record<string, BackupStatus> = {
  waiting: 'PENDING',
  backuping: 'RUNNING',
  succeed: 'SUCCEEDED',
  failed: 'FAILED',
  expired: 'EXPIRED',
  deleted: 'DELETED',
};

const RDS: Record<string, BackupStatus> = {
  BUILDING: 'RUNNING',
  COMPLETED: 'SUCCEEDED',
  FAILED: 'FAILED',
  DELETING: 'DELETING',
};

export function obBackupStatus(status: string): BackupStatus {
  return OB[status] ?? (OB_PHASE.test(status) ? 'RUNNING' : 'UNKNOWN');
}

export function dcsBackupStatus(status: string): BackupStatus {
  return DCS[status] ?? 'UNKNOWN';
}

export function rdsBackupStatus(status: string): BackupStatus {
  return RDS[status] ?? 'UNKNOWN';
}

/** Whether a DCS backup has ended (its `updated_at` is then its end time). */
export function dcsBackupEnded(status: string): boolean {
  return status === 'succeed' || status === 'failed' || status === 'expired' || status === 'deleted';
}

/**
 * The OceanBase job statuses a set of `BackupStatus` values covers, for the agent's `status`
 * filter; `null` when the set cannot be expressed upstream (it holds `UNKNOWN`).
 */
export function obJobStatusesFor(statuses: readonly BackupStatus[]): string[] | null {
  if (statuses.includes('UNKNOWN')) return null;
  const wanted = new Set(statuses);
  return Object.entries(OB)
    .filter(([, mapped]) => wanted.has(mapped))
    .map(([upstream]) => upstream);
}
