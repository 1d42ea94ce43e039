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

const RECENT = `# Every backup of the fleet that started in the last 24 hours (see Variables).
query RecentBackups($since: DateTime!) {
  backupTasks(first: 100, filter: { since: $since }) {
    totalCount
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

const FAILED = `# Failed backups of the last 7 days across every source, with what the upstream said.
query FailedBackups($since: DateTime!) {
  backupTasks(first: 50, filter: { statuses: [FAILED], since: $since }) {
    totalCount
    nodes {
      __typename
      ... on ObBackupJob { source tenant { tenantName } startedAt result comment }
      ... on DcsBackup { source instance { name } startedAt errorCode }
      ... on RdsBackup { source instance { name } startedAt type }
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

/**
 * The tabs, their time variables relative to `now` (the stack's clock, read at each page load).
 * `exampleInstanceId`: an instance with many backups to page through (demo mode knows one).
 */
export function exampleTabs(options: { now: number; exampleInstanceId?: string }): Tab[] {
  const now = options.now;
  const daysAgo = (days: number) => JSON.stringify({ since: new Date(now - days * 24 * 3_600_000).toISOString() }, null, 2);
  return [
    { query: FLEET_OVERVIEW },
    { query: RECENT, variables: daysAgo(1) },
    { query: FAILED, variables: daysAgo(7) },
    {
      query: PAGING,
      variables: JSON.stringify({ id: options.exampleInstanceId ?? 'paste a DcsInstance or RdsInstance id here', after: null }, null, 2),
    },
  ];
}
