/**
 * Live progress: the `backupProgress` subscription over Server-Sent Events (graphql-yoga's
 * "distinct connections" transport: a POST to `/graphql` with `Accept: text/event-stream`, frames
 * `event: next` / `data: <ExecutionResult>` and a last `event: complete`). `EventSource` cannot send
 * the `Authorization` header, so the stream is read with `fetch` and a body reader, with the same
 * headers as every other request (api.ts). It reconnects with a growing, jittered delay when it drops.
 *
 * What it hears is kept per backup (the newest news of each) and laid over the lists the page
 * loaded: a row's status and progress follow, and a backup started since the list was read comes
 * first. An OceanBase backup is told as its task (`ObBackupTask`) and listed as its job
 * (`ObBackupJob`): both carry the tenant and job ID, which is what ties them (`backupKey`).
 */
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiUnavailable, ENDPOINT, requestHeaders, Unauthenticated, type ApiError } from './api';
import { currentKey, unauthenticated } from './auth';
import type { BackupStatus, DashboardBackupFragment, TypedDocumentString } from './gql/graphql';
import { ProgressSubscription } from './queries';

export type LiveBackup = DashboardBackupFragment;

export interface LiveEntry {
  key: string;
  backup: LiveBackup;
  /** The tenant or instance it is a backup of, when known. */
  targetId: string | null;
  /** When it was heard (the browser's clock): news older than a list's load is not laid over it. */
  at: number;
}

export type LiveEntries = ReadonlyMap<string, LiveEntry>;

/** Backups remembered at most (the oldest news is forgotten first). */
const MAX_ENTRIES = 500;
const RETRY_FIRST_MS = 1_000;
const RETRY_MAX_MS = 30_000;
/** A stream that held this long starts the backoff afresh when it drops. */
const HELD_MS = 30_000;

const IN_PROGRESS: readonly BackupStatus[] = ['PENDING', 'RUNNING', 'CANCELING'];

/** Still going (waiting, running, or being cancelled). */
export function inProgress(status: BackupStatus): boolean {
  return IN_PROGRESS.includes(status);
}

/** Which backup this is, the same for an OceanBase task and its job. */
export function backupKey(backup: { __typename?: string; id: string; source: string; tenantId?: number; jobId?: number }): string {
  if ((backup.__typename === 'ObBackupTask' || backup.__typename === 'ObBackupJob') && backup.jobId !== undefined)
    return `ob:${backup.source}:${backup.tenantId ?? ''}:${backup.jobId}`;
  return backup.id;
}

/** How far a backup got, in percent, where its type tells: DCS `progress`, OceanBase tablets done of all. */
export function progressOf(backup: LiveBackup): number | null {
  if (backup.__typename === 'DcsBackup') return typeof backup.progress === 'number' && Number.isFinite(backup.progress) ? backup.progress : null;
  if (backup.__typename === 'ObBackupTask' && backup.tabletCount && backup.finishTabletCount !== null)
    return (100 * backup.finishTabletCount) / backup.tabletCount;
  return null;
}

function targetOf(backup: LiveBackup): string | null {
  switch (backup.__typename) {
    case 'ObBackupJob':
    case 'ObBackupTask':
      return backup.tenant?.id ?? null;
    case 'DcsBackup':
    case 'RdsBackup':
      return backup.instance?.id ?? null;
  }
}

/** The entries with this news of a backup; `scope`: the target it is known to be of (a filtered stream's, an action's). */
export function withBackup(entries: LiveEntries, backup: LiveBackup, scope: string | null): LiveEntries {
  const key = backupKey(backup);
  const next = new Map(entries);
  next.delete(key);
  next.set(key, { key, backup, targetId: targetOf(backup) ?? scope, at: Date.now() });
  while (next.size > MAX_ENTRIES) next.delete(next.keys().next().value!);
  return next;
}

/** What a list's row needs for the news to be laid over it. */
interface RowLike {
  status: BackupStatus;
  providerStatus: string;
  startedAt: string | null;
  finishedAt: string | null;
  sizeBytes: number | null;
}

export interface Merged<R> {
  row: R;
  /** The newest news of it, when newer than the list. */
  live: LiveBackup | undefined;
}

/**
 * A list loaded at `loadedAt` with what was heard since: each row as its newest news says, and
 * (when `insert`) the backups that `belong` to the list, are not in it and started no earlier than
 * its newest row, first (newest first).
 */
export function mergeLive<R extends RowLike>(
  rows: readonly R[],
  options: {
    entries: LiveEntries;
    loadedAt: number;
    keyOf: (row: R) => string;
    insert: false | { belongs: (entry: LiveEntry) => boolean; create: (backup: LiveBackup) => R };
  },
): Merged<R>[] {
  const { entries, loadedAt, keyOf, insert } = options;
  const keys = new Set<string>();
  const merged = rows.map((row): Merged<R> => {
    const key = keyOf(row);
    keys.add(key);
    const entry = entries.get(key);
    if (!entry || entry.at < loadedAt) return { row, live: undefined };
    const b = entry.backup;
    return {
      row: {
        ...row,
        status: b.status,
        providerStatus: b.providerStatus,
        // A DCS backup's start moves from its creation to its execution; a task and its job start together.
        startedAt: b.startedAt ?? row.startedAt,
        finishedAt: b.finishedAt,
        sizeBytes: b.sizeBytes ?? row.sizeBytes,
      },
      live: b,
    };
  });
  if (!insert) return merged;
  const newest = rows.reduce((max, r) => Math.max(max, r.startedAt ? Date.parse(r.startedAt) : -Infinity), -Infinity);
  const added = [...entries.values()]
    .filter((e) => e.at >= loadedAt && !keys.has(e.key) && e.backup.startedAt && Date.parse(e.backup.startedAt) >= newest && insert.belongs(e))
    .sort((a, b) => Date.parse(b.backup.startedAt!) - Date.parse(a.backup.startedAt!))
    .map((e): Merged<R> => ({ row: insert.create(e.backup), live: e.backup }));
  return [...added, ...merged];
}

/**
 * Reads one subscription until the server ends it (resolves) or it fails (rejects). `onOpen` once
 * the server accepted it; `onData` for each result with data.
 */
export async function readStream<T, V>(
  operation: TypedDocumentString<T, V>,
  variables: V,
  handlers: { onOpen: () => void; onData: (data: T) => void },
  signal: AbortSignal,
): Promise<void> {
  const key = currentKey();
  const response = await fetch(ENDPOINT, {
    method: 'POST',
    headers: { ...requestHeaders(key), accept: 'text/event-stream' },
    body: JSON.stringify({ query: String(operation), variables }),
    signal,
  });
  if (response.status === 401) {
    unauthenticated(key);
    throw new Unauthenticated('HTTP 401');
  }
  if (!response.ok || !response.body || !(response.headers.get('content-type') ?? '').includes('text/event-stream')) {
    await response.body?.cancel().catch(() => undefined);
    throw new ApiUnavailable(`HTTP ${response.status}`);
  }
  handlers.onOpen();
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;
      buffer += value;
      let end: number;
      while ((end = buffer.indexOf('\n\n')) !== -1) {
        const block = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        let event = 'message';
        const data: string[] = [];
        for (const raw of block.split('\n')) {
          const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
          // `:` starts a comment (the server's keep-alive).
          if (line === '' || line.startsWith(':')) continue;
          const colon = line.indexOf(':');
          const field = colon === -1 ? line : line.slice(0, colon);
          const text = colon === -1 ? '' : line.slice(colon + 1).replace(/^ /, '');
          if (field === 'event') event = text;
          else if (field === 'data') data.push(text);
        }
        if (event === 'complete') return;
        if (event !== 'next' || data.length === 0) continue;
        const result = JSON.parse(data.join('\n')) as { data?: T | null; errors?: ApiError[] };
        if (result.data) {
          handlers.onData(result.data);
        } else if (result.errors?.length) {
          const first = result.errors[0]!;
          if (first.extensions?.code === 'UNAUTHENTICATED') {
            unauthenticated(key);
            throw new Unauthenticated(first.message);
          }
          throw new ApiUnavailable(first.message, result.errors);
        }
      }
    }
  } finally {
    reader.cancel().catch(() => undefined);
  }
}

export interface Live {
  /** Whether the stream is open now. */
  connected: boolean;
  entries: LiveEntries;
  /** News of a backup from elsewhere (an action's answer). */
  add: (backup: LiveBackup, scope: string | null) => void;
}

/**
 * The running backups as they change, while `enabled`: of `target` only when one is given, else
 * of the whole fleet. `onEnded` when one of them ends.
 */
export function useLiveBackups({
  enabled,
  target,
  authKey,
  onEnded,
}: {
  enabled: boolean;
  target: string | null;
  authKey: string | null;
  onEnded: () => void;
}): Live {
  const [connected, setConnected] = useState(false);
  const [entries, setEntries] = useState<LiveEntries>(() => new Map());
  const ended = useRef(onEnded);
  ended.current = onEnded;
  const add = useCallback((backup: LiveBackup, scope: string | null) => setEntries((e) => withBackup(e, backup, scope)), []);

  useEffect(() => {
    if (!enabled) return;
    const abort = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let attempt = 0;
    const connect = async () => {
      const opened = Date.now();
      try {
        await readStream(
          ProgressSubscription,
          { filter: target ? { instanceIds: [target] } : null },
          {
            onOpen: () => setConnected(true),
            onData: ({ backupProgress: backup }) => {
              attempt = 0;
              add(backup, target);
              if (!inProgress(backup.status)) ended.current();
            },
          },
          abort.signal,
        );
      } catch (error) {
        // Signed out or refused: the sign-in form shows, and a new key opens a new stream.
        if (abort.signal.aborted || error instanceof Unauthenticated) {
          setConnected(false);
          return;
        }
      }
      if (abort.signal.aborted) return;
      setConnected(false);
      if (Date.now() - opened >= HELD_MS) attempt = 0;
      const delay = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** attempt) * (0.75 + Math.random() / 2);
      attempt++;
      timer = setTimeout(() => void connect(), delay);
    };
    void connect();
    return () => {
      abort.abort();
      clearTimeout(timer);
      setConnected(false);
    };
  }, [enabled, target, authKey, add]);

  return { connected, entries, add };
}
