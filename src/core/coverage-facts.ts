/**
 * Coverage facts from an upstream that can only be read whole over a time range (no order, no
 * status filter: DCS, RDS). The RPO window is read first; only a target with no success in it, or
 * nothing finished in it, is read further back, a week at first.
 */
import { finished, inProgress, type BackupCommon } from './models.js';
import type { CoverageFacts } from './provider.js';

/** Newest first by start time (no start time last). */
function newest<T extends BackupCommon>(items: readonly T[], keep: (b: T) => boolean): T | null {
  let best: T | null = null;
  for (const item of items) {
    if (!keep(item)) continue;
    const t = item.startedAt?.getTime() ?? -Infinity;
    const bt = best?.startedAt?.getTime() ?? -Infinity;
    if (best === null || t > bt || (t === bt && item.id < best.id)) best = item;
  }
  return best;
}

export function factsOf(items: readonly BackupCommon[]): CoverageFacts {
  return {
    lastBackup: newest(items, () => true),
    lastSuccess: newest(items, (b) => b.status === 'SUCCEEDED'),
    newestFinished: newest(items, (b) => finished(b.status)),
    running: items.some((b) => inProgress(b.status)),
    hasAny: items.length > 0,
  };
}

/** How far back the second read goes before the rest of the history is read. */
export const LOOK_BACK_MS = 7 * 24 * 3_600_000;

/**
 * `readAll(from, to)`: every backup whose start time lies in [from, to] (ms, null: open).
 * `since`: the start of the RPO window. The window is read first; a target with no success or
 * nothing finished in it is read a week further back, and only then the rest of its history.
 * `known`: what an earlier read knew of the backups that started before `since` (an incremental
 * refresh): those stand in for the older reads, so one call is enough.
 */
export async function factsFromWindows(
  readAll: (from: number | null, to: number | null) => Promise<BackupCommon[]>,
  since: number,
  known?: CoverageFacts | null,
): Promise<CoverageFacts> {
  const recent = await readAll(since, null);
  const seen = [...recent];
  if (known) {
    // The older backups as the earlier read knew them (a backup that started since is read again).
    const before = (b: BackupCommon | null): b is BackupCommon => b !== null && (b.startedAt?.getTime() ?? -Infinity) < since;
    for (const b of [known.lastBackup, known.lastSuccess, known.newestFinished]) if (before(b) && !seen.some((s) => s.id === b.id)) seen.push(b);
    const facts = factsOf(seen);
    return { ...facts, hasAny: facts.hasAny || known.hasAny, recent: { from: since, items: recent } };
  }
  let facts = factsOf(seen);
  for (const [from, to] of [
    [since - LOOK_BACK_MS, since - 1],
    [null, since - LOOK_BACK_MS - 1],
  ] as const) {
    if (facts.lastSuccess && facts.newestFinished) break;
    seen.push(...(await readAll(from, to)));
    facts = factsOf(seen);
  }
  return { ...facts, recent: { from: since, items: recent } };
}
