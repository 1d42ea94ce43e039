/** DCS's and RDS's status words onto the one `BackupStatus` (contract §5). */
import type { BackupStatus } from '../../core/models.js';

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
