/** The backup targets of a running stack as the coverage view lists them, and which can be backed up now. */
import type { ExecutionResult } from 'graphql';

export interface CoverageTarget {
  id: string;
  typename: string;
  state: string;
  /** DCS and RDS: the instance's status (`RUNNING`, `ACTIVE`, …). */
  status: string | null;
  specCode: string | null;
  /** A backup of it is pending, running or being cancelled. */
  busy: boolean;
  /** Its newest backup's status, if it has one. */
  lastStatus: string | null;
}

const QUERY = `{ backupCoverage(first: 100) { nodes { state lastBackup { ... on Backup { status } } target { __typename
  ... on ObTenant { id } ... on DcsInstance { id status specCode } ... on RdsInstance { id status } } } } }`;

type Answer = {
  backupCoverage: {
    nodes: {
      state: string;
      lastBackup: { status: string } | null;
      target: { __typename: string; id: string; status?: string | null; specCode?: string | null };
    }[];
  };
};

/** `query`: how the test sends a query (in process, over HTTP with a key, over WebSocket). */
export async function coverageTargets(query: (q: string) => Promise<ExecutionResult<Answer> | Answer>): Promise<CoverageTarget[]> {
  const answer = await query(QUERY);
  const data = 'backupCoverage' in answer ? answer : answer.data;
  if (!data) throw new Error(`no coverage: ${JSON.stringify(answer)}`);
  return data.backupCoverage.nodes.map((n) => ({
    id: n.target.id,
    typename: n.target.__typename,
    state: n.state,
    status: n.target.status ?? null,
    specCode: n.target.specCode ?? null,
    busy: n.lastBackup !== null && ['PENDING', 'RUNNING', 'CANCELING'].includes(n.lastBackup.status),
    lastStatus: n.lastBackup?.status ?? null,
  }));
}

/** Whether a backup of it can start now: nothing runs, and (DCS) a running instance that is not single-node, (RDS) an active one. */
export function canBackUp(t: CoverageTarget): boolean {
  if (t.busy || t.state === 'UNKNOWN') return false;
  if (t.typename === 'DcsInstance') return t.status === 'RUNNING' && !/single/.test(t.specCode ?? '');
  if (t.typename === 'RdsInstance') return t.status === 'ACTIVE';
  return true;
}
