/**
 * The snapshot in Redis, shared by every replica and kept across restarts. Per source (the keys
 * share a hash tag, so a Redis Cluster keeps them on one node):
 * - `<prefix>snapshot:{<source>}:e`, a hash: target ID → entry (JSON, Dates kept);
 * - `<prefix>snapshot:{<source>}:log`, a sorted set: target ID → the sequence number of its last
 *   change (a removed target stays in it, its entry gone), so a replica reads only what changed
 *   since it last looked;
 * - `<prefix>snapshot:{<source>}:seq`, the sequence; `<prefix>snapshot:{<source>}:state`, the
 *   source's own state (JSON).
 * Each entry is written as soon as its target was read: a replica that dies mid-refresh loses only
 * the reads it had not written.
 */
import type { Redis } from 'ioredis';
import { log } from '../lib/log.js';
import { modelFromJson, modelToJson } from '../lib/model-json.js';
import { MemorySnapshotStore, type SnapshotEntry, type SnapshotStore, type SourceState } from './store.js';

/** ARGV: id, json, id, json… (an empty json removes the entry). Every change gets the next sequence number. */
const WRITE = `
for i = 1, #ARGV, 2 do
  local seq = redis.call('INCR', KEYS[3])
  if ARGV[i + 1] == '' then redis.call('HDEL', KEYS[1], ARGV[i]) else redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1]) end
  redis.call('ZADD', KEYS[2], seq, ARGV[i])
end
return 1`;

export class RedisSnapshotStore extends MemorySnapshotStore implements SnapshotStore {
  /** Per source, the last sequence number this replica has taken in. */
  private readonly seen = new Map<string, number>();
  private syncing: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
    private readonly sources: readonly string[],
  ) {
    super();
  }

  private key(source: string, part: 'e' | 'log' | 'seq' | 'state'): string {
    return `${this.prefix}snapshot:{${source}}:${part}`;
  }

  override async put(source: string, entries: readonly SnapshotEntry[]): Promise<void> {
    if (entries.length === 0) return;
    this.apply(source, entries, []);
    await this.write(
      source,
      entries.flatMap((e) => [e.targetId, modelToJson(e)]),
    );
  }

  override async remove(source: string, targetIds: readonly string[]): Promise<void> {
    if (targetIds.length === 0) return;
    this.apply(source, [], targetIds);
    await this.write(
      source,
      targetIds.flatMap((id) => [id, '']),
    );
  }

  override async putState(state: SourceState): Promise<void> {
    this.applyState(state);
    await this.redis.set(this.key(state.source, 'state'), modelToJson(state));
  }

  private async write(source: string, args: string[]): Promise<void> {
    await this.redis.eval(WRITE, 3, this.key(source, 'e'), this.key(source, 'log'), this.key(source, 'seq'), ...args);
  }

  /** Takes in every change since the last sync (one round trip for all sources, one more for those that changed). */
  override sync(): Promise<void> {
    this.syncing ??= this.pull().finally(() => (this.syncing = undefined));
    return this.syncing;
  }

  private async pull(): Promise<void> {
    const head = this.redis.pipeline();
    for (const source of this.sources) {
      head.zrangebyscore(this.key(source, 'log'), `(${this.seen.get(source) ?? 0}`, '+inf', 'WITHSCORES');
      head.get(this.key(source, 'state'));
    }
    const answers = (await head.exec()) ?? [];
    const changed: { source: string; ids: string[]; top: number }[] = [];
    this.sources.forEach((source, i) => {
      const [logError, flat] = answers[2 * i] ?? [];
      const [stateError, stateJson] = answers[2 * i + 1] ?? [];
      if (!stateError && typeof stateJson === 'string') {
        const state = modelFromJson<SourceState>(stateJson);
        const mine = this.state(source);
        if (!mine || modelToJson(mine) !== stateJson) this.applyState(state);
      }
      if (logError || !Array.isArray(flat) || flat.length === 0) return;
      const ids: string[] = [];
      let top = this.seen.get(source) ?? 0;
      for (let j = 0; j < flat.length; j += 2) {
        ids.push(String(flat[j]));
        top = Math.max(top, Number(flat[j + 1]));
      }
      changed.push({ source, ids, top });
    });
    if (changed.length === 0) return;
    const bodies = this.redis.pipeline();
    for (const { source, ids } of changed) bodies.hmget(this.key(source, 'e'), ...ids);
    const read = (await bodies.exec()) ?? [];
    changed.forEach(({ source, ids, top }, i) => {
      const [error, values] = read[i] ?? [];
      if (error || !Array.isArray(values)) return;
      const put: SnapshotEntry[] = [];
      const gone: string[] = [];
      ids.forEach((id, j) => {
        const json = values[j] as string | null;
        if (json === null) gone.push(id);
        else {
          try {
            put.push(modelFromJson<SnapshotEntry>(json));
          } catch {
            log.warn({ source, target: id }, 'snapshot: an entry in Redis is not readable; it is read again upstream');
          }
        }
      });
      this.apply(source, put, gone);
      this.seen.set(source, top);
    });
  }
}
