/** The operations GraphiQL opens with, so a new user can run something useful at once. */
import type { GraphiQLOptions } from 'graphql-yoga';

type Tab = NonNullable<GraphiQLOptions['defaultTabs']>[number];

const BACKUP_FIELDS = `status
      providerStatus
      startedAt
      finishedAt
      sizeBytes`;

const FLEET_OVERVIEW = `# Did last night's backups run, everywhere?
# Every instance of every source with its newest backups; OceanBase tenants with their latest task.
query FleetOverview {
  instances(first: 50) {
    totalCount
    nodes {
      __typename
      ... on ObCluster {
        source
        agent { version obVersion }
        tenants(first: 20) {
          nodes {
            tenantName
            latestBackup {
              ${BACKUP_FIELDS}
            }
          }
        }
      }
      ... on DcsInstance {
        source
        name
        engine
        engineVersion
        backups(first: 2) {
          nodes {
            ${BACKUP_FIELDS}
          }
        }
      }
      ... on RdsInstance {
        source
        name
        datastore { type version }
        backups(first: 2) {
          nodes {
            type
            ${BACKUP_FIELDS}
          }
        }
      }
    }
  }
}
`;

const NOT_PROTECTED = `# What is not protected? Every tenant and instance without a recent good backup, worst first.
query NotProtected {
  backupCoverage(first: 50, filter: { states: [NEVER, FAILING, STALE, UNKNOWN, RUNNING] }) {
    summary { total never failing stale unknown running }
    nodes {
      state
      reasons
      source
      target {
        __typename
        ... on ObTenant { tenantName }
        ... on DcsInstance { name }
        ... on RdsInstance { name }
      }
      lastSuccessAt
      ageSeconds
      lastBackup { ... on Backup { status providerStatus startedAt } }
    }
  }
  # The whole fleet at a glance (the same reads: aliases share the operation's calls).
  fleet: backupCoverage(first: 1) { summary { total ok stale failing running never unknown } }
}
`;

const FAILED = `# Which backups failed since yesterday, anywhere? (see Variables)
query FailedSinceYesterday($since: DateTime!) {
  backupTasks(first: 50, filter: { statuses: [FAILED], since: $since }) {
    totalCount
    window { since until }
    nodes {
      __typename
      ... on Backup { source startedAt finishedAt }
      ... on ObBackupJob { tenant { tenantName } result comment }
      ... on ObBackupTask { tenant { tenantName } result comment }
      ... on DcsBackup { instance { name } errorCode }
      ... on RdsBackup { instance { name } type }
    }
  }
}
`;

const NEWEST = `# The newest backups of the whole fleet, newest first (the last 7 days unless filter.since says otherwise).
query NewestBackups($after: String) {
  backupTasks(first: 20, after: $after) {
    totalCount
    window { since until }
    pageInfo { hasNextPage endCursor }
    nodes {
      __typename
      ... on Backup {
        source
        ${BACKUP_FIELDS}
        instance {
          ... on ObCluster { source }
          ... on DcsInstance { name }
          ... on RdsInstance { name }
        }
      }
      ... on ObBackupJob { tenant { tenantName } backupType }
    }
  }
}
`;

const PAGING = `# Page through one instance's backups: run, then set "after" to pageInfo.endCursor.
query InstanceBackups($id: ID!, $after: String) {
  node(id: $id) {
    ... on DcsInstance {
      name
      backups(first: 10, after: $after) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { backupName backupType ${BACKUP_FIELDS} } }
      }
    }
    ... on RdsInstance {
      name
      backups(first: 10, after: $after) {
        totalCount
        pageInfo { hasNextPage hasPreviousPage endCursor }
        edges { cursor node { name type ${BACKUP_FIELDS} } }
      }
    }
  }
}
`;

const WATCH = `# Watch running backups move (Server-Sent Events): run it, then start one in the next tab.
# Each running or pending backup comes again whenever its status or progress changes, and once
# more when it ends.
subscription WatchBackups {
  backupProgress {
    __typename
    ... on Backup { id source status providerStatus startedAt finishedAt }
    ... on DcsBackup { progress instance { ... on DcsInstance { name } } }
    ... on ObBackupTask { finishTabletCount tabletCount tenant { tenantName } }
  }
}
`;

const START = `# Start a backup now (actions must be on: actions.enabled; demo mode has them on).
# target: an ObTenant, ObCluster, DcsInstance or RdsInstance ID (from backupCoverage or instances).
# The same idempotencyKey again returns the first outcome instead of starting a second backup.
mutation StartBackup($target: ID!, $key: String) {
  startBackup(input: { target: $target, mode: FULL, remark: "from GraphiQL", idempotencyKey: $key }) {
    replayed
    backup { __typename ... on Backup { id status providerStatus startedAt } }
  }
}
`;

/**
 * The tabs, their time variables relative to `now` (the stack's clock, read at each page load).
 * `exampleInstanceId`: an instance with many backups to page through (demo mode knows one).
 */
export function exampleTabs(options: { now: number; exampleInstanceId?: string }): Tab[] {
  const now = options.now;
  const daysAgo = (days: number) => JSON.stringify({ since: new Date(now - days * 24 * 3_600_000).toISOString() }, null, 2);
  return [
    { query: NOT_PROTECTED },
    { query: FAILED, variables: daysAgo(1) },
    { query: NEWEST, variables: JSON.stringify({ after: null }, null, 2) },
    { query: FLEET_OVERVIEW },
    {
      query: PAGING,
      variables: JSON.stringify({ id: options.exampleInstanceId ?? 'paste a DcsInstance or RdsInstance id here', after: null }, null, 2),
    },
    { query: WATCH },
    {
      query: START,
      variables: JSON.stringify({ target: options.exampleInstanceId ?? 'paste an instance or tenant id here', key: 'graphiql-1' }, null, 2),
    },
  ];
}
