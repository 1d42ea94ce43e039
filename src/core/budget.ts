/**
 * The upstream-call budget of one operation: every call sent upstream is charged (answers from
 * the page cache are not), and fan-outs reserve what they are about to spend first, so an
 * operation that would flood the upstreams fails with `BUDGET_EXCEEDED` before it sends them.
 */
import { BudgetExceededError } from './errors.js';

export class CallBudget {
  private used = 0;
  private firstCall: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError('a call budget is a positive integer');
  }

  /**
   * Runs `fn` once the operation sends its first upstream call (at once if it has): reads started
   * ahead of need wait until the operation is known to do upstream work at all, so an operation
   * refused for its arguments sends nothing.
   */
  onFirstCall(fn: () => void): void {
    if (this.used > 0) fn();
    else this.firstCall.push(fn);
  }

  /** Upstream calls sent so far. */
  get spent(): number {
    return this.used;
  }

  /** Refuses a step that would make about `calls` more calls past the budget. */
  reserve(calls: number, what: string): void {
    if (this.used + calls > this.limit) throw new BudgetExceededError(this.limit, this.used + calls, what);
  }

  /** Counts calls made for this operation by another (a `fresh: true` snapshot read, reserved first). */
  absorb(calls: number): void {
    this.used += calls;
  }

  /** Counts one call about to be sent; refuses it past the budget. */
  charge(route: string): void {
    if (this.used + 1 > this.limit) throw new BudgetExceededError(this.limit, this.used + 1, `one more ${route}`);
    this.used++;
    if (this.used === 1 && this.firstCall.length > 0) {
      const waiting = this.firstCall;
      this.firstCall = [];
      queueMicrotask(() => waiting.forEach((fn) => fn()));
    }
  }
}
