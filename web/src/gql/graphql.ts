/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
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

export type DashboardCoverageQueryVariables = Exact<{
  first: number;
  after?: string | null | undefined;
}>;


export type DashboardCoverageQuery = { backupCoverage: { summary: { total: number, ok: number, stale: number, failing: number, running: number, never: number, unknown: number }, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ provider: Provider, source: string, state: CoverageState, reasons: Array<CoverageReason>, lastSuccessAt: string | null, ageSeconds: number | null, rpoHours: number, limitation: string | null, target:
        | { __typename: 'DcsInstance', id: string, name: string | null, instanceId: string }
        | { __typename: 'ObTenant', id: string, tenantName: string }
        | { __typename: 'RdsInstance', id: string, name: string | null, instanceId: string }
      , lastBackup:
        | { __typename: 'DcsBackup', id: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null }
        | { __typename: 'ObBackupJob', id: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null }
        | { __typename: 'ObBackupTask', id: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null }
        | { __typename: 'RdsBackup', id: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null }
       | null }> } };

export type DashboardRecentQueryVariables = Exact<{
  first: number;
}>;


export type DashboardRecentQuery = { backupTasks: { totalCount: number, window: { since: string | null, until: string | null }, nodes: Array<
      | { __typename: 'DcsBackup', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, errorCode: string | null, instance: { id: string, name: string | null, instanceId: string } | null }
      | { __typename: 'ObBackupJob', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, comment: string | null, tenant: { id: string, tenantName: string } | null }
      | { __typename: 'ObBackupTask', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, comment: string | null, tenant: { id: string, tenantName: string } | null }
      | { __typename: 'RdsBackup', id: string, provider: Provider, source: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, instance: { id: string, name: string | null, instanceId: string } | null }
    > } };

export type DashboardPageCursorFragment = { cursor: string, page: number, isCurrent: boolean };

export type DashboardPageCursorsFragment = { first: { cursor: string, page: number, isCurrent: boolean } | null, last: { cursor: string, page: number, isCurrent: boolean } | null, around: Array<{ cursor: string, page: number, isCurrent: boolean }>, previous: { cursor: string, page: number, isCurrent: boolean } | null };

export type DashboardHistoryQueryVariables = Exact<{
  id: string;
  first: number;
  after?: string | null | undefined;
}>;


export type DashboardHistoryQuery = { node:
    | { __typename: 'DcsBackup', id: string }
    | { __typename: 'DcsInstance', provider: Provider, source: string, name: string | null, instanceId: string, id: string, dcsBackups: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, pageCursors: { first: { cursor: string, page: number, isCurrent: boolean } | null, last: { cursor: string, page: number, isCurrent: boolean } | null, around: Array<{ cursor: string, page: number, isCurrent: boolean }>, previous: { cursor: string, page: number, isCurrent: boolean } | null }, nodes: Array<{ id: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, errorCode: string | null }> } | null }
    | { __typename: 'HuaweiProject', id: string }
    | { __typename: 'ObBackupJob', id: string }
    | { __typename: 'ObBackupTask', id: string }
    | { __typename: 'ObCluster', id: string }
    | { __typename: 'ObTenant', provider: Provider, source: string, tenantName: string, id: string, jobs: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, pageCursors: { first: { cursor: string, page: number, isCurrent: boolean } | null, last: { cursor: string, page: number, isCurrent: boolean } | null, around: Array<{ cursor: string, page: number, isCurrent: boolean }>, previous: { cursor: string, page: number, isCurrent: boolean } | null }, nodes: Array<{ id: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null, comment: string | null }> } | null }
    | { __typename: 'RdsBackup', id: string }
    | { __typename: 'RdsInstance', provider: Provider, source: string, name: string | null, instanceId: string, id: string, rdsBackups: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, pageCursors: { first: { cursor: string, page: number, isCurrent: boolean } | null, last: { cursor: string, page: number, isCurrent: boolean } | null, around: Array<{ cursor: string, page: number, isCurrent: boolean }>, previous: { cursor: string, page: number, isCurrent: boolean } | null }, nodes: Array<{ id: string, status: BackupStatus, providerStatus: string, startedAt: string | null, finishedAt: string | null, sizeBytes: number | null, backupType: string | null }> } | null }
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
export const DashboardCoverageDocument = new TypedDocumentString(`
    query DashboardCoverage($first: Int!, $after: String) {
  backupCoverage(first: $first, after: $after) {
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
        tenant {
          id
          tenantName
        }
        comment
      }
      ... on ObBackupTask {
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
        errorCode
      }
      ... on RdsBackup {
        instance {
          id
          name
          instanceId
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DashboardRecentQuery, DashboardRecentQueryVariables>;
export const DashboardHistoryDocument = new TypedDocumentString(`
    query DashboardHistory($id: ID!, $first: Int!, $after: String) {
  node(id: $id) {
    __typename
    id
    ... on ObTenant {
      provider
      source
      tenantName
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
        }
      }
    }
    ... on DcsInstance {
      provider
      source
      name
      instanceId
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
        }
      }
    }
    ... on RdsInstance {
      provider
      source
      name
      instanceId
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