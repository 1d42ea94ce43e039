/**
 * Idempotency keys of `startBackup`: the first call with a key claims it, runs, and stores its
 * outcome (success or error) for the configured time; a retry with the same key gets that outcome
 * back instead of starting a second backup. Claims are per credential (the key is hashed with the
 * caller's name), and a key reused with a different input is refused. While the first call is
 * still running, a retry waits for it (up to `waitMs`), then is told to retry later.
 *
 * In process memory, or in Redis when configured (`SET … NX PX`: one claim across every replica).
 * Records hold only what the client may see again (the payload as sent, or the error's message and
 * extensions), never a credential.
 */
import { createHash } from 'node:crypto';
import type { Redis } from 'ioredis';
import type { Clock } from '../lib/clock.js';
import { CodedError } from './errors.js';

/** What is stored of a finished call: its payload (serialized by the caller) or its error. */
export type StoredOutcome = { ok: true; payload: string } | { ok: false; message: string; extensions: Record<string, unknown> };

interface StoredRecord {
  fingerprint: string;
  /** Absent while the first call runs. */
  outcome?: StoredOutcome;
}

/** What claiming a key found. */
export type Claim = { kind: 'claimed'; settle(outcome: StoredOutcome): Promise<void> } | { kind: 'replay'; outcome: StoredOutcome };

export interface IdempotencyBackend {
  /** Stores `record` under `key` unless one is there; returns the one that was there, else null. */
  putIfAbsent(key: string, record: StoredRecord, ttlMs: number): Promise<StoredRecord | null>;
  get(key: string): Promise<StoredRecord | null>;
  put(key: string, record: StoredRecord, ttlMs: number): Promise<void>;
  close(): Promise<void>;
}

export class MemoryIdempotencyBackend implements IdempotencyBackend {
  private readonly records = new Map<string, { record: StoredRecord; expires: number }>();

  constructor(private readonly clock: Clock) {}

  private live(key: string): StoredRecord | null {
    const found = this.records.get(key);
    if (!found) return null;
    if (found.expires <= this.clock.now()) {
      this.records.delete(key);
      return null;
    }
    return found.record;
  }

  putIfAbsent(key: string, record: StoredRecord, ttlMs: number): Promise<StoredRecord | null> {
    const existing = this.live(key);
    if (existing) return Promise.resolve(existing);
    // Expired records go when a key is claimed: the map holds only what is still kept.
    for (const [k, v] of this.records) if (v.expires <= this.clock.now()) this.records.delete(k);
    this.records.set(key, { record, expires: this.clock.now() + ttlMs });
    return Promise.resolve(null);
  }

  get(key: string): Promise<StoredRecord | null> {
    return Promise.resolve(this.live(key));
  }

  put(key: string, record: StoredRecord, ttlMs: number): Promise<void> {
    this.records.set(key, { record, expires: this.clock.now() + ttlMs });
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export class RedisIdempotencyBackend implements IdempotencyBackend {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async putIfAbsent(key: string, record: StoredRecord, ttlMs: number): Promise<StoredRecord | null> {
    const id = this.prefix + key;
    const set = await this.redis.set(id, JSON.stringify(record), 'PX', Math.ceil(ttlMs), 'NX');
    if (set === 'OK') return null;
    return (await this.get(key)) ?? this.putIfAbsent(key, record, ttlMs); // expired in between: claim it
  }

  async get(key: string): Promise<StoredRecord | null> {
    const text = await this.redis.get(this.prefix + key);
    return text === null ? null : (JSON.parse(text) as StoredRecord);
  }

  async put(key: string, record: StoredRecord, ttlMs: number): Promise<void> {
    await this.redis.set(this.prefix + key, JSON.stringify(record), 'PX', Math.ceil(ttlMs));
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}

export interface IdempotencyOptions {
  ttlMs: number;
  /** How long a retry waits for the first call with its key to finish. Default 10 s. */
  waitMs?: number;
  /** How often it looks. Default 100 ms. */
  pollMs?: number;
}

/** The form an `idempotencyKey` must have. */
export const IDEMPOTENCY_KEY = /^[A-Za-z0-9._:-]{1,128}$/;

export class IdempotencyStore {
  constructor(
    private readonly backend: IdempotencyBackend,
    private readonly options: IdempotencyOptions,
  ) {}

  /**
   * Claims `key` for `caller`'s call with this input, or finds the outcome of the call that did.
   * Throws BAD_USER_INPUT-worthy `CodedError`s for a key reused with another input, `CONFLICT`
   * while the first call still runs, and `UNAVAILABLE` when the store cannot be reached (the
   * action is then not started: a key promises at most one).
   */
  async claim(caller: string, key: string, input: unknown): Promise<Claim> {
    const id = createHash('sha256').update(`${caller}\u0000${key}`).digest('hex');
    const fingerprint = createHash('sha256').update(JSON.stringify(input)).digest('hex');
    const { ttlMs } = this.options;
    let existing: StoredRecord | null;
    try {
      existing = await this.backend.putIfAbsent(id, { fingerprint }, ttlMs);
    } catch {
      throw new CodedError('UNAVAILABLE', 'The idempotency store cannot be reached: nothing was started; retry later.');
    }
    if (!existing) {
      return {
        kind: 'claimed',
        settle: async (outcome) => {
          try {
            await this.backend.put(id, { fingerprint, outcome }, ttlMs);
          } catch {
            // The outcome stays unknown to retries; they wait, then are told to retry later.
          }
        },
      };
    }
    if (existing.fingerprint !== fingerprint) {
      throw new CodedError('BAD_USER_INPUT', 'This idempotencyKey was used with a different input; use a new key for a different backup.', {
        argumentName: 'idempotencyKey',
      });
    }
    const waitMs = this.options.waitMs ?? 10_000;
    const pollMs = this.options.pollMs ?? 100;
    for (let waited = 0; !existing?.outcome && waited < waitMs; waited += pollMs) {
      await new Promise((resolve) => setTimeout(resolve, pollMs));
      existing = await this.backend.get(id).catch(() => existing);
    }
    if (!existing?.outcome) throw new CodedError('CONFLICT', 'A startBackup with this idempotencyKey is still running; retry in a moment.');
    return { kind: 'replay', outcome: existing.outcome };
  }

  close(): Promise<void> {
    return this.backend.close();
  }
}
