/**
 * A token bucket per source: at most `perSecond` calls a second on average, `burst` at once. A call
 * beyond it waits its turn (first come, first served) rather than failing; one that could not go
 * out before its operation's deadline fails at once. Elapsed time is the monotonic clock's: this
 * paces the wire, it has nothing to do with the calendar.
 */
import { performance } from 'node:perf_hooks';
import { abortedBy, TransportError } from '../lib/http.js';

export interface RateSettings {
  perSecond: number;
  burst: number;
}

export class TokenBucket {
  /** May go below zero: the calls waiting for a token, each owing one. */
  private tokens: number;
  private last = performance.now();

  constructor(private readonly settings: RateSettings) {
    this.tokens = settings.burst;
  }

  /** Resolves when the call may go out. */
  async take(signal?: AbortSignal, deadline?: number): Promise<void> {
    const now = performance.now();
    this.tokens = Math.min(this.settings.burst, this.tokens + ((now - this.last) / 1000) * this.settings.perSecond);
    this.last = now;
    this.tokens -= 1;
    if (this.tokens >= 0) return;
    // This call's token comes once the debt before it is paid off: calls go out in arrival order.
    const waitMs = (-this.tokens / this.settings.perSecond) * 1000;
    if (deadline !== undefined && now + waitMs >= deadline) {
      this.tokens += 1;
      throw new TransportError('timeout', `the source's rate limit (${this.settings.perSecond}/s) would hold this call past the operation's deadline`);
    }
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        signal?.removeEventListener('abort', onAbort);
        resolve();
      }, waitMs);
      const onAbort = () => {
        clearTimeout(timer);
        this.tokens += 1;
        reject(abortedBy(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
    });
  }
}
