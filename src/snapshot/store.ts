/**
 * The fleet snapshot's storage: per source, one entry per target (what the fleet views need of it,
 * and when it was last read upstream) and the source's own state. Every replica answers from a
 * copy in its memory; with Redis the entries live in Redis (they survive a restart, and every
 * replica shares them) and each replica's copy follows what the others write.
 */
import type { ProviderKind } from '../core/errors.js';
import type { BackupCommon, NodeLike } from '../core/models.js';
import type { CoverageFacts } from '../core/provider.js';

/** A failure kept with what it hit: enough to report it again, nothing secret (messages are redacted where they are made). */
export interface StoredError {
  code: string;
  message: string;
  /** The GraphQL error's `extensions` it is reported with again. */
  extensions: Record<string, unknown>;
  source: string;
  provider: ProviderKind;
  at: number;
}

export interface SnapshotEntry {
  targetId: string;
  source: string;
  kind: ProviderKind;
  /** The upstream keys in the target's ID (the module's own). */
  keys: Readonly<Record<string, string | number>>;
  model: NodeLike;
  /** What the coverage rules need; null until the target was first read. */
  facts: CoverageFacts | null;
  /** Its backups that started at or after `recentFrom`, newest first. */
  recent: BackupCommon[];
  recentFrom: number | null;
  /** When its facts were read upstream (the fleet clock, epoch ms); null: not yet. */
  readAt: number | null;
  /** When its history was last read whole (not incrementally). */
  fullAt: number | null;
  /** Upstream calls its last refresh took (what the next one is expected to cost). */
  calls: number;
  /** Why its last refresh failed (its facts are then the last known ones); null when it did not. */
  error: StoredError | null;
}

export interface SourceState {
  source: string;
  /** When its targets were last listed (the fleet clock). */
  listedAt: number | null;
  /** Why the last listing failed; null when it did not. */
  listError: StoredError | null;
  /**
   * The source's `instances` list as last listed, per segment (its key as the live list has it,
   * so cursors carry over), tagged with the provider kind it lists; null until first listed.
   */
  instances?: { kind: string; key: string; items: NodeLike[] }[] | null;
}

export interface SnapshotStore {
  /** Bumped whenever this replica's copy changes (the views recompute then). */
  readonly version: number;
  /** This replica's copy of a source's entries. */
  entries(source: string): ReadonlyMap<string, SnapshotEntry>;
  state(source: string): SourceState | undefined;
  put(source: string, entries: readonly SnapshotEntry[]): Promise<void>;
  remove(source: string, targetIds: readonly string[]): Promise<void>;
  putState(state: SourceState): Promise<void>;
  /** Takes in what other replicas wrote (Redis); nothing to do in memory. */
  sync(): Promise<void>;
  close(): Promise<void>;
}

/** The snapshot of one replica, in its memory (no Redis configured). */
export class MemorySnapshotStore implements SnapshotStore {
  version = 0;
  protected readonly bySource = new Map<string, Map<string, SnapshotEntry>>();
  protected readonly states = new Map<string, SourceState>();

  entries(source: string): ReadonlyMap<string, SnapshotEntry> {
    return this.bySource.get(source) ?? new Map<string, SnapshotEntry>();
  }

  state(source: string): SourceState | undefined {
    return this.states.get(source);
  }

  protected apply(source: string, entries: readonly SnapshotEntry[], removed: readonly string[]): void {
    let map = this.bySource.get(source);
    if (!map) this.bySource.set(source, (map = new Map<string, SnapshotEntry>()));
    for (const entry of entries) map.set(entry.targetId, entry);
    for (const id of removed) map.delete(id);
    if (entries.length > 0 || removed.length > 0) this.version++;
  }

  protected applyState(state: SourceState): void {
    this.states.set(state.source, state);
    this.version++;
  }

  async put(source: string, entries: readonly SnapshotEntry[]): Promise<void> {
    this.apply(source, entries, []);
  }

  async remove(source: string, targetIds: readonly string[]): Promise<void> {
    this.apply(source, [], targetIds);
  }

  async putState(state: SourceState): Promise<void> {
    this.applyState(state);
  }

  async sync(): Promise<void> {}

  async close(): Promise<void> {}
}
