/**
 * Backups that move through their states over time, driven by the stack's clock.
 *
 * Each started backup (or cancel, or delete) is a `Timeline`: a function that sets the record to the
 * state it has at a given instant. Nothing runs on a timer: every simulator calls `tick()` before it
 * answers a request (the `beforeRequest` hook of `SimServer`), which applies each timeline for
 * `clock.now()` and forgets those that reached their end. So a test with a `ManualClock` sees a
 * backup change only when it moves the clock, and demo mode (the system clock) sees it run.
 */
import type { Clock } from '../lib/clock.js';

/** Default time a started backup takes to finish (the `backupDurationMs` option). */
export const DEFAULT_BACKUP_DURATION_MS = 60_000;

/** Sets its record to the state at `now`; returns true once the final state is set (then it is dropped). */
export type Timeline = (now: number) => boolean;

export class BackupProgress {
  private timelines: Timeline[] = [];

  constructor(
    readonly clock: Clock,
    /** How long a started backup takes, start to COMPLETED / succeed. */
    readonly durationMs: number = DEFAULT_BACKUP_DURATION_MS,
  ) {
    if (!(Number.isFinite(durationMs) && durationMs > 0)) throw new RangeError('backupDurationMs must be a positive number');
  }

  /** When a started backup leaves its first state (INIT, waiting): 10% of the duration. */
  get queuedMs(): number {
    return this.durationMs * 0.1;
  }

  /** How long a cancel (CANCELING) or a delete (DELETING) takes: 5% of the duration, at least 1 s. */
  get shortMs(): number {
    return Math.max(1000, this.durationMs * 0.05);
  }

  /** Adds a timeline and applies it at once for the clock's now. */
  add(timeline: Timeline): void {
    if (!timeline(this.clock.now())) this.timelines.push(timeline);
  }

  /** Brings every timeline up to the clock's now, in the order they were added. */
  tick(): void {
    if (this.timelines.length === 0) return;
    const now = this.clock.now();
    this.timelines = this.timelines.filter((apply) => !apply(now));
  }

  /** Timelines not yet at their end. */
  get pending(): number {
    return this.timelines.length;
  }
}

/** Where `now` is between `from` and `to`, clamped to [0, 1]. */
export function fraction(now: number, from: number, to: number): number {
  if (to <= from) return now >= to ? 1 : 0;
  return Math.min(1, Math.max(0, (now - from) / (to - from)));
}
