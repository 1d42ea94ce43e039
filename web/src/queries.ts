/**
 * Every operation the dashboard sends, typed by GraphQL Code Generator (`npm run codegen` writes
 * web/src/gql/ from these and the SDL under schema/).
 */
import { graphql } from './gql';

/** The fleet's coverage, worst first (the API's order), one page of up to 100 targets. */
export const CoverageQuery = graphql(`
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
`);

/**
 * A backup as the newest-backups list and the live updates show it: what every provider has, its
 * target, and how far it got (DCS `progress`, OceanBase tablets). `jobId`/`tenantId` tie an
 * OceanBase task (what `backupProgress` and the actions return) to its job (what the lists show).
 */
graphql(`
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
`);

/** The newest backups of the whole fleet, with the time window the list was read over. */
export const RecentQuery = graphql(`
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
`);

/** Who is asking: the actions show only when they would work. */
export const ViewerQuery = graphql(`
  query DashboardViewer {
    viewer {
      name
      role
      canOperate
    }
  }
`);

/** Running and pending backups as they change (Server-Sent Events), and once more when each ends. */
export const ProgressSubscription = graphql(`
  subscription DashboardBackupProgress($filter: BackupTaskFilter) {
    backupProgress(filter: $filter) {
      ...DashboardBackup
    }
  }
`);

/** Starts a backup now; the idempotency key makes a retry return the first outcome. */
export const StartBackupMutation = graphql(`
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
`);

/** Cancels an OceanBase tenant's running backup. */
export const CancelBackupMutation = graphql(`
  mutation DashboardCancelBackup($input: CancelBackupInput!) {
    cancelBackup(input: $input) {
      backup {
        ...DashboardBackup
      }
    }
  }
`);

graphql(`
  fragment DashboardPageCursor on PageCursor {
    cursor
    page
    isCurrent
  }
`);

graphql(`
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
`);

/** A span a restore can reach (`from` = `until`: one instant); `derived`: computed by backupql, not reported. */
graphql(`
  fragment DashboardTimeRange on TimeRange {
    from
    until
    derived
  }
`);

/**
 * One page of a target's backup history, with the cursors of its numbered pages, and how far back
 * the target can be restored (its restorable window; a tenant's log archive).
 */
export const HistoryQuery = graphql(`
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
`);

/** The newest backups of one target, for its size and duration charts. */
export const ChartQuery = graphql(`
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
`);
