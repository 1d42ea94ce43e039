/**
 * The one notion of "now" of a running stack. Everything that asks what time it is (default time
 * windows, ages, auth timestamps, the demo fleet, GraphiQL's example variables, cache expiry)
 * asks a `Clock` it was given: the system clock in production and demo mode, a fixed or manual
 * one in tests. Durations (timeouts, latency) are not "now" and use timers as usual.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that always says the same instant. */
export function fixedClock(at: number | Date): Clock {
  const ms = typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new RangeError('fixedClock needs a valid instant');
  return { now: () => ms };
}

/** A clock that stands still until moved: for tests of expiry and of things that happen over time. */
export class ManualClock implements Clock {
  private ms: number;

  constructor(at: number | Date) {
    this.ms = typeof at === 'number' ? at : at.getTime();
  }

  now(): number {
    return this.ms;
  }

  advance(ms: number): void {
    this.ms += ms;
  }

  set(at: number | Date): void {
    this.ms = typeof at === 'number' ? at : at.getTime();
  }
}
