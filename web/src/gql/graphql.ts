/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
/** What a backup started now copies: everything, or what changed since the last backup. */
export type BackupMode =
  /** A full backup (every provider). */
  | 'FULL'
  /** What changed since the last full or incremental backup (OceanBase only). */
  | 'INCREMENTAL';

/**
 * The state of a backup in one vocabulary for every provider. The upstream's own word is kept in
 * `providerStatus`; values no mapping knows become `UNKNOWN`.
 */
export type BackupStatus =
  /** Cancelled before it finished (OceanBase `CANCELED`). */
  | 'CANCELED'
  /** A cancel was requested and is being carried out (OceanBase `CANCELING`). */
  | 'CANCELING'
  /** Deleted; the record remains (DCS `deleted`). */
  | 'DELETED'
  /** Being deleted (RDS `DELETING`). */
  | 'DELETING'
  /** Past its retention; the record remains (DCS `expired`). */
  | 'EXPIRED'
  /** Finished with an error (`FAILED`, DCS `failed`). */
  | 'FAILED'
  /** Accepted, not started (OceanBase `INIT`, DCS `waiting`). */
  | 'PENDING'
  /** In progress (OceanBase `DOING` and every phase such as `BACKUP_USER_DATA`, DCS `backuping`, RDS `BUILDING`). */
  | 'RUNNING'
  /** Finished successfully (OceanBase `COMPLETED`, DCS `succeed`, RDS `COMPLETED`). */
  | 'SUCCEEDED'
  /** A status no mapping knows yet; see `providerStatus`. */
  | 'UNKNOWN';

/** Restricts a list of backups. Every field narrows the list further (AND). */
export type BackupTaskFilter = {
  /** Only backups of these targets: IDs of `ObCluster` (all its tenants), `ObTenant`, `DcsInstance` or `RdsInstance`. */
  instanceIds?: Array<string> | null | undefined;
  /** Only backups of these providers. */
  providers?: Array<Provider> | null | undefined;
  /**
   * Only backups that started at or after this instant. Without it, `backupTasks` reads the last
   * `fleet.defaultWindowDays` (7 by default); the window used is on the connection (`window`).
   */
  since?: string | null | undefined;
  /** Only backups read from these configured sources. */
  sources?: Array<string> | null | undefined;
  /** Only backups in these states. */
  statuses?: Array<BackupStatus> | null | undefined;
  /** Only backups that started at or before this instant. */
  until?: string | null | undefined;
};

/** Whose running backup to cancel. */
export type CancelBackupInput = {
  /** Returned unchanged in the payload (Relay). */
  clientMutationId?: string | null | undefined;
  /** The `ObTenant` or `ObCluster` whose running backup to cancel (obshell only: DCS and RDS cannot cancel a backup). */
  target: string;
};

/** Why a target is not `OK`: every reason that applies. */
export type CoverageReason =
  /** Log archiving is behind by more than the source's tolerance. */
  | 'ARCHIVE_LAG'
  /** Log archiving is stopped. */
  | 'ARCHIVE_STOPPED'
  /** The newest finished backup failed. */
  | 'LAST_BACKUP_FAILED'
  /** The target has no backup record. */
  | 'NEVER_BACKED_UP'
  /** The snapshot lists the target but has not read it yet (shortly after a start). */
  | 'NOT_YET_READ'
  /** No backup succeeded within the RPO. */
  | 'NO_SUCCESS_WITHIN_RPO'
  /** The target's source or backup list could not be read. */
  | 'SOURCE_UNREACHABLE';

/** Whether a target is protected, by the rules of the contract (§7), in their order of precedence. */
export type CoverageState =
  /** Its newest finished backup failed. */
  | 'FAILING'
  /** No backup record at all. */
  | 'NEVER'
  /** Its newest success is within the RPO (and, where the upstream reports it, log archiving keeps up). */
  | 'OK'
  /** No success within the RPO, and a backup is running or pending. */
  | 'RUNNING'
  /** Backed up before, but no success within the RPO (and nothing running, nothing failed last). */
  | 'STALE'
  /** Its source, service or backup list could not be read (see `errors`). */
  | 'UNKNOWN';

/** The upstream service a backup, instance or tenant comes from (each provider module adds its values). */
export type Provider =
  /** Huawei Cloud Distributed Cache Service (Redis, Memcached). */
  | 'DCS'
  /** OceanBase clusters, through their obshell agents. */
  | 'OCEANBASE'
  /** Huawei Cloud Relational Database Service (MySQL, PostgreSQL, SQL Server, MariaDB). */
  | 'RDS';

/** What to back up, and how. */
export type StartBackupInput = {
  /** Returned unchanged in the payload (Relay). */
  clientMutationId?: string | null | undefined;
  /**
   * Makes a retry safe: a second `startBackup` with the same key (by the same credential, within
   * `actions.idempotencyTtlSeconds`) returns the first one's outcome, success or error, with
   * `replayed: true`, instead of starting another backup. The same key with a different input is
   * refused. 1..128 characters of `[A-Za-z0-9._:-]`.
   */
  idempotencyKey?: string | null | undefined;
  /** `FULL` (the default) or `INCREMENTAL`; a mode the target's provider cannot do is refused before any upstream call. */
  mode?: BackupMode | null | undefined;
  /** A note kept with the backup where the upstream keeps one (DCS `remark`, RDS `description`); 1..256 characters. */
  remark?: string | null | undefined;
  /**
   * What to back up: an `ObTenant`, an `ObCluster` (every user tenant at once), a `DcsInstance` or
   * an `RdsInstance`, by its global ID.
   */
  target: string;
};

export type DashboardCoverageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type DashboardCoverageQuery = { backupCoverage: { asOf: string | null, summary: { total: number, ok: number, stale: number, failing: number, running: number, never: number, unknown: number }, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ provider: Provider, source: string, state: CoverageState, reasons: Array<CoverageReason>, lastSuccessAt: string | null, ageSeconds: number | null, rpoHours: number, limitation: string | null, stale: boolean, target:
        | { __typename: 'DcsInstance', id: string, name: string | null, instanceId: string }
        | { __typename: 'ObTenant', id: string, tenantName: string }
        | { __typename: 'RdsInstance', id: string, name: string | null, instanceId: string }
      , lastBackup:
        | { __typename: 'DcsBackup', id: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null }
        | { __typename: 'ObBackupJob', id: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null }
        | { __typename: 'ObBackupTask', id: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null }
        | { __typename: 'RdsBackup', id: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null }
       | null }> } };

type DashboardBackup_DcsBackup_Fragment = { __typename: 'DcsBackup', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, progress: number | null, errorCode: string | null, instance: { id: string, name: string | null, instanceId: string } | null };

type DashboardBackup_ObBackupJob_Fragment = { __typename: 'ObBackupJob', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, tenantId: number, jobId: number, backupType: string | null, comment: string | null, tenant: { id: string, tenantName: string } | null };

type DashboardBackup_ObBackupTask_Fragment = { __typename: 'ObBackupTask', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, tenantId: number, jobId: number, tabletCount: number | null, finishTabletCount: number | null, comment: string | null, tenant: { id: string, tenantName: string } | null };

type DashboardBackup_RdsBackup_Fragment = { __typename: 'RdsBackup', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, instance: { id: string, name: string | null, instanceId: string } | null };

export type DashboardBackupFragment =
  | DashboardBackup_DcsBackup_Fragment
  | DashboardBackup_ObBackupJob_Fragment
  | DashboardBackup_ObBackupTask_Fragment
  | DashboardBackup_RdsBackup_Fragment
;

export type DashboardRecentQueryVariables = Exact<{
  first: number;
}>;


export type DashboardRecentQuery = { backupTasks: { totalCount: number, window: { since: string | null, until: string | null }, nodes: Array<
      | { __typename: 'DcsBackup', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, progress: number | null, errorCode: string | null, instance: { id: string, name: string | null, instanceId: string } | null }
      | { __typename: 'ObBackupJob', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, tenantId: number, jobId: number, backupType: string | null, comment: string | null, tenant: { id: string, tenantName: string } | null }
      | { __typename: 'ObBackupTask', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, tenantId: number, jobId: number, tabletCount: number | null, finishTabletCount: number | null, comment: string | null, tenant: { id: string, tenantName: string } | null }
      | { __typename: 'RdsBackup', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, instance: { id: string, name: string | null, instanceId: string } | null }
    > } };

export type DashboardViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type DashboardViewerQuery = { viewer: { name: string, role: string, canOperate: boolean } };

export type DashboardBackupProgressSubscriptionVariables = Exact<{
  filter?: BackupTaskFilter | null | undefined;
}>;


export type DashboardBackupProgressSubscription = { backupProgress:
    | { __typename: 'DcsBackup', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, progress: number | null, errorCode: string | null, instance: { id: string, name: string | null, instanceId: string } | null }
    | { __typename: 'ObBackupJob', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, tenantId: number, jobId: number, backupType: string | null, comment: string | null, tenant: { id: string, tenantName: string } | null }
    | { __typename: 'ObBackupTask', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, tenantId: number, jobId: number, tabletCount: number | null, finishTabletCount: number | null, comment: string | null, tenant: { id: string, tenantName: string } | null }
    | { __typename: 'RdsBackup', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, instance: { id: string, name: string | null, instanceId: string } | null }
   };

export type DashboardStartBackupMutationVariables = Exact<{
  input: StartBackupInput;
}>;


export type DashboardStartBackupMutation = { startBackup: { replayed: boolean, backup:
      | { __typename: 'DcsBackup', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, progress: number | null, errorCode: string | null, instance: { id: string, name: string | null, instanceId: string } | null }
      | { __typename: 'ObBackupJob', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, tenantId: number, jobId: number, backupType: string | null, comment: string | null, tenant: { id: string, tenantName: string } | null }
      | { __typename: 'ObBackupTask', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, tenantId: number, jobId: number, tabletCount: number | null, finishTabletCount: number | null, comment: string | null, tenant: { id: string, tenantName: string } | null }
      | { __typename: 'RdsBackup', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, instance: { id: string, name: string | null, instanceId: string } | null }
     | null, backups: Array<
      | { __typename: 'DcsBackup', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, progress: number | null, errorCode: string | null, instance: { id: string, name: string | null, instanceId: string } | null }
      | { __typename: 'ObBackupJob', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, tenantId: number, jobId: number, backupType: string | null, comment: string | null, tenant: { id: string, tenantName: string } | null }
      | { __typename: 'ObBackupTask', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, tenantId: number, jobId: number, tabletCount: number | null, finishTabletCount: number | null, comment: string | null, tenant: { id: string, tenantName: string } | null }
      | { __typename: 'RdsBackup', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, instance: { id: string, name: string | null, instanceId: string } | null }
    > } };

export type DashboardCancelBackupMutationVariables = Exact<{
  input: CancelBackupInput;
}>;


export type DashboardCancelBackupMutation = { cancelBackup: { backup:
      | { __typename: 'DcsBackup', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, progress: number | null, errorCode: string | null, instance: { id: string, name: string | null, instanceId: string } | null }
      | { __typename: 'ObBackupJob', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, tenantId: number, jobId: number, backupType: string | null, comment: string | null, tenant: { id: string, tenantName: string } | null }
      | { __typename: 'ObBackupTask', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, tenantId: number, jobId: number, tabletCount: number | null, finishTabletCount: number | null, comment: string | null, tenant: { id: string, tenantName: string } | null }
      | { __typename: 'RdsBackup', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, instance: { id: string, name: string | null, instanceId: string } | null }
     | null } };

export type DashboardPageCursorFragment = { cursor: string, page: number, isCurrent: boolean };

export type DashboardPageCursorsFragment = { first: { cursor: string, page: number, isCurrent: boolean } | null, last: { cursor: string, page: number, isCurrent: boolean } | null, around: Array<{ cursor: string, page: number, isCurrent: boolean }>, previous: { cursor: string, page: number, isCurrent: boolean } | null };

export type DashboardTimeRangeFragment = { from: string, until: string, derived: boolean };

export type DashboardHistoryQueryVariables = Exact<{
  id: string;
  first: number;
  after?: string | null | undefined;
}>;


export type DashboardHistoryQuery = { node:
    | { __typename: 'DcsBackup', id: string }
    | { __typename: 'DcsInstance', provider: Provider, source: string, name: string | null, instanceId: string, id: string, restorableWindow: Array<{ from: string, until: string, derived: boolean }> | null, dcsBackups: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, pageCursors: { first: { cursor: string, page: number, isCurrent: boolean } | null, last: { cursor: string, page: number, isCurrent: boolean } | null, around: Array<{ cursor: string, page: number, isCurrent: boolean }>, previous: { cursor: string, page: number, isCurrent: boolean } | null }, nodes: Array<{ id: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, errorCode: string | null, progress: number | null }> } | null }
    | { __typename: 'HuaweiProject', id: string }
    | { __typename: 'ObBackupJob', id: string }
    | { __typename: 'ObBackupTask', id: string }
    | { __typename: 'ObCluster', id: string }
    | { __typename: 'ObTenant', provider: Provider, source: string, tenantName: string, isSystemTenant: boolean, id: string, restorableWindow: Array<{ from: string, until: string, derived: boolean }> | null, logArchive: { status: string, checkpoint: string | null, delaySeconds: number | null } | null, latestBackup: { jobId: number, tabletCount: number | null, finishTabletCount: number | null } | null, jobs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, pageCursors: { first: { cursor: string, page: number, isCurrent: boolean } | null, last: { cursor: string, page: number, isCurrent: boolean } | null, around: Array<{ cursor: string, page: number, isCurrent: boolean }>, previous: { cursor: string, page: number, isCurrent: boolean } | null }, nodes: Array<{ id: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, comment: string | null, tenantId: number, jobId: number }> } | null }
    | { __typename: 'RdsBackup', id: string }
    | { __typename: 'RdsInstance', provider: Provider, source: string, name: string | null, instanceId: string, id: string, restorableWindow: Array<{ from: string, until: string, derived: boolean }> | null, rdsBackups: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, pageCursors: { first: { cursor: string, page: number, isCurrent: boolean } | null, last: { cursor: string, page: number, isCurrent: boolean } | null, around: Array<{ cursor: string, page: number, isCurrent: boolean }>, previous: { cursor: string, page: number, isCurrent: boolean } | null }, nodes: Array<{ id: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null }> } | null }
   | null };

export type DashboardChartQueryVariables = Exact<{
  id: string;
  first: number;
}>;


export type DashboardChartQuery = { node:
    | { __typename: 'DcsBackup' }
    | { __typename: 'DcsInstance', dcsBackups: { nodes: Array<{ status: BackupStatus, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null }> } | null }
    | { __typename: 'HuaweiProject' }
    | { __typename: 'ObBackupJob' }
    | { __typename: 'ObBackupTask' }
    | { __typename: 'ObCluster' }
    | { __typename: 'ObTenant', jobs: { nodes: Array<{ status: BackupStatus, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null }> } | null }
    | { __typename: 'RdsBackup' }
    | { __typename: 'RdsInstance', rdsBackups: { nodes: Array<{ status: BackupStatus, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null }> } | null }
   | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const DashboardBackupFragmentDoc = new TypedDocumentString(`
    fragment DashboardBackup on BackupTask {
  __typename
  ... on Backup {
    id
    provider
    source
    status
    providerStatus
    startedAt
    finishedAt
    sizeBytes
  }
  ... on ObBackupJob {
    tenantId
    jobId
    backupType
    tenant {
      id
      tenantName
    }
    comment
  }
  ... on ObBackupTask {
    tenantId
    jobId
    tabletCount
    finishTabletCount
    tenant {
      id
      tenantName
    }
    comment
  }
  ... on DcsBackup {
    instance {
      id
      name
      instanceId
    }
    backupType
    progress
    errorCode
  }
  ... on RdsBackup {
    instance {
      id
      name
      instanceId
    }
    backupType: type
  }
}
    `, {"fragmentName":"DashboardBackup"}) as unknown as TypedDocumentString<DashboardBackupFragment, unknown>;
export const DashboardPageCursorFragmentDoc = new TypedDocumentString(`
    fragment DashboardPageCursor on PageCursor {
  cursor
  page
  isCurrent
}
    `, {"fragmentName":"DashboardPageCursor"}) as unknown as TypedDocumentString<DashboardPageCursorFragment, unknown>;
export const DashboardPageCursorsFragmentDoc = new TypedDocumentString(`
    fragment DashboardPageCursors on PageCursors {
  first {
    ...DashboardPageCursor
  }
  last {
    ...DashboardPageCursor
  }
  around {
    ...DashboardPageCursor
  }
  previous {
    ...DashboardPageCursor
  }
}
    fragment DashboardPageCursor on PageCursor {
  cursor
  page
  isCurrent
}`, {"fragmentName":"DashboardPageCursors"}) as unknown as TypedDocumentString<DashboardPageCursorsFragment, unknown>;
export const DashboardTimeRangeFragmentDoc = new TypedDocumentString(`
    fragment DashboardTimeRange on TimeRange {
  from
  until
  derived
}
    `, {"fragmentName":"DashboardTimeRange"}) as unknown as TypedDocumentString<DashboardTimeRangeFragment, unknown>;
export const DashboardCoverageDocument = new TypedDocumentString(`
    query DashboardCoverage($first: Int!, $after: String) {
  backupCoverage(first: $first, after: $after) {
    asOf
    summary {
      total
      ok
      stale
      failing
      running
      never
      unknown
    }
    pageInfo {
      hasNextPage
      endCursor
    }
    nodes {
      provider
      source
      state
      reasons
      lastSuccessAt
      ageSeconds
      rpoHours
      limitation
      stale
      target {
        __typename
        ... on ObTenant {
          id
          tenantName
        }
        ... on DcsInstance {
          id
          name
          instanceId
        }
        ... on RdsInstance {
          id
          name
          instanceId
        }
      }
      lastBackup {
        __typename
        ... on Backup {
          id
          status
          providerStatus
          startedAt
          finishedAt
          sizeBytes
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardCoverageQuery, DashboardCoverageQueryVariables>;
export const DashboardRecentDocument = new TypedDocumentString(`
    query DashboardRecent($first: Int!) {
  backupTasks(first: $first) {
    totalCount
    window {
      since
      until
    }
    nodes {
      ...DashboardBackup
    }
  }
}
    fragment DashboardBackup on BackupTask {
  __typename
  ... on Backup {
    id
    provider
    source
    status
    providerStatus
    startedAt
    finishedAt
    sizeBytes
  }
  ... on ObBackupJob {
    tenantId
    jobId
    backupType
    tenant {
      id
      tenantName
    }
    comment
  }
  ... on ObBackupTask {
    tenantId
    jobId
    tabletCount
    finishTabletCount
    tenant {
      id
      tenantName
    }
    comment
  }
  ... on DcsBackup {
    instance {
      id
      name
      instanceId
    }
    backupType
    progress
    errorCode
  }
  ... on RdsBackup {
    instance {
      id
      name
      instanceId
    }
    backupType: type
  }
}`) as unknown as TypedDocumentString<DashboardRecentQuery, DashboardRecentQueryVariables>;
export const DashboardViewerDocument = new TypedDocumentString(`
    query DashboardViewer {
  viewer {
    name
    role
    canOperate
  }
}
    `) as unknown as TypedDocumentString<DashboardViewerQuery, DashboardViewerQueryVariables>;
export const DashboardBackupProgressDocument = new TypedDocumentString(`
    subscription DashboardBackupProgress($filter: BackupTaskFilter) {
  backupProgress(filter: $filter) {
    ...DashboardBackup
  }
}
    fragment DashboardBackup on BackupTask {
  __typename
  ... on Backup {
    id
    provider
    source
    status
    providerStatus
    startedAt
    finishedAt
    sizeBytes
  }
  ... on ObBackupJob {
    tenantId
    jobId
    backupType
    tenant {
      id
      tenantName
    }
    comment
  }
  ... on ObBackupTask {
    tenantId
    jobId
    tabletCount
    finishTabletCount
    tenant {
      id
      tenantName
    }
    comment
  }
  ... on DcsBackup {
    instance {
      id
      name
      instanceId
    }
    backupType
    progress
    errorCode
  }
  ... on RdsBackup {
    instance {
      id
      name
      instanceId
    }
    backupType: type
  }
}`) as unknown as TypedDocumentString<DashboardBackupProgressSubscription, DashboardBackupProgressSubscriptionVariables>;
export const DashboardStartBackupDocument = new TypedDocumentString(`
    mutation DashboardStartBackup($input: StartBackupInput!) {
  startBackup(input: $input) {
    replayed
    backup {
      ...DashboardBackup
    }
    backups {
      ...DashboardBackup
    }
  }
}
    fragment DashboardBackup on BackupTask {
  __typename
  ... on Backup {
    id
    provider
    source
    status
    providerStatus
    startedAt
    finishedAt
    sizeBytes
  }
  ... on ObBackupJob {
    tenantId
    jobId
    backupType
    tenant {
      id
      tenantName
    }
    comment
  }
  ... on ObBackupTask {
    tenantId
    jobId
    tabletCount
    finishTabletCount
    tenant {
      id
      tenantName
    }
    comment
  }
  ... on DcsBackup {
    instance {
      id
      name
      instanceId
    }
    backupType
    progress
    errorCode
  }
  ... on RdsBackup {
    instance {
      id
      name
      instanceId
    }
    backupType: type
  }
}`) as unknown as TypedDocumentString<DashboardStartBackupMutation, DashboardStartBackupMutationVariables>;
export const DashboardCancelBackupDocument = new TypedDocumentString(`
    mutation DashboardCancelBackup($input: CancelBackupInput!) {
  cancelBackup(input: $input) {
    backup {
      ...DashboardBackup
    }
  }
}
    fragment DashboardBackup on BackupTask {
  __typename
  ... on Backup {
    id
    provider
    source
    status
    providerStatus
    startedAt
    finishedAt
    sizeBytes
  }
  ... on ObBackupJob {
    tenantId
    jobId
    backupType
    tenant {
      id
      tenantName
    }
    comment
  }
  ... on ObBackupTask {
    tenantId
    jobId
    tabletCount
    finishTabletCount
    tenant {
      id
      tenantName
    }
    comment
  }
  ... on DcsBackup {
    instance {
      id
      name
      instanceId
    }
    backupType
    progress
    errorCode
  }
  ... on RdsBackup {
    instance {
      id
      name
      instanceId
    }
    backupType: type
  }
}`) as unknown as TypedDocumentString<DashboardCancelBackupMutation, DashboardCancelBackupMutationVariables>;
export const DashboardHistoryDocument = new TypedDocumentString(`
    query DashboardHistory($id: ID!, $first: Int!, $after: String) {
  node(id: $id) {
    __typename
    id
    ... on ObTenant {
      provider
      source
      tenantName
      isSystemTenant
      restorableWindow {
        ...DashboardTimeRange
      }
      logArchive {
        status
        checkpoint
        delaySeconds
      }
      latestBackup {
        jobId
        tabletCount
        finishTabletCount
      }
      jobs: backupJobs(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        pageCursors {
          ...DashboardPageCursors
        }
        nodes {
          id
          status
          providerStatus
          startedAt
          finishedAt
          sizeBytes
          backupType
          comment
          tenantId
          jobId
        }
      }
    }
    ... on DcsInstance {
      provider
      source
      name
      instanceId
      restorableWindow {
        ...DashboardTimeRange
      }
      dcsBackups: backups(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        pageCursors {
          ...DashboardPageCursors
        }
        nodes {
          id
          status
          providerStatus
          startedAt
          finishedAt
          sizeBytes
          backupType
          errorCode
          progress
        }
      }
    }
    ... on RdsInstance {
      provider
      source
      name
      instanceId
      restorableWindow {
        ...DashboardTimeRange
      }
      rdsBackups: backups(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        pageCursors {
          ...DashboardPageCursors
        }
        nodes {
          id
          status
          providerStatus
          startedAt
          finishedAt
          sizeBytes
          backupType: type
        }
      }
    }
  }
}
    fragment DashboardPageCursor on PageCursor {
  cursor
  page
  isCurrent
}
fragment DashboardPageCursors on PageCursors {
  first {
    ...DashboardPageCursor
  }
  last {
    ...DashboardPageCursor
  }
  around {
    ...DashboardPageCursor
  }
  previous {
    ...DashboardPageCursor
  }
}
fragment DashboardTimeRange on TimeRange {
  from
  until
  derived
}`) as unknown as TypedDocumentString<DashboardHistoryQuery, DashboardHistoryQueryVariables>;
export const DashboardChartDocument = new TypedDocumentString(`
    query DashboardChart($id: ID!, $first: Int!) {
  node(id: $id) {
    __typename
    ... on ObTenant {
      jobs: backupJobs(first: $first) {
        nodes {
          status
          startedAt
          finishedAt
          sizeBytes
        }
      }
    }
    ... on DcsInstance {
      dcsBackups: backups(first: $first) {
        nodes {
          status
          startedAt
          finishedAt
          sizeBytes
        }
      }
    }
    ... on RdsInstance {
      rdsBackups: backups(first: $first) {
        nodes {
          status
          startedAt
          finishedAt
          sizeBytes
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardChartQuery, DashboardChartQueryVariables>;