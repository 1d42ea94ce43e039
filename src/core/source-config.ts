/**
 * The parts of a source's configuration every provider module shares (contract §3): the name,
 * the tuning of its upstream calls, its RPO. A module's own schema adds its connection fields.
 */
import { z } from 'zod';
import { DEFAULT_BREAKER, DEFAULT_RATE, DEFAULT_RETRY } from './upstream.js';

/** The snapshot's default refresh budget per source (see `refreshBudget`). */
export const DEFAULT_REFRESH_BUDGET = { callsPerMinute: 1_200 };

export const sourceName = z
  .string()
  .regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes ([a-z0-9-]+)')
  .max(63, 'must be at most 63 characters');

export const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}, 'must be an http(s) URL without credentials, query or fragment');

/** Fields of every source; spread into each module's `z.object({...})`. */
export const sourceCommon = {
  name: sourceName.describe('Unique name of the source, [a-z0-9-]+ (at most 63 characters); part of every ID from this source.'),
  /** Deadline of each upstream call, ms (the operation's own deadline may cut it shorter). */
  timeoutMs: z
    .number()
    .int()
    .min(100)
    .max(300_000)
    .default(10_000)
    .describe("Deadline of each upstream call, ms (the operation's own deadline may cut it shorter)."),
  /** Deadline for opening a connection, ms. */
  connectTimeoutMs: z.number().int().min(100).max(60_000).default(5_000).describe('Deadline for opening a connection, ms.'),
  /** Retries of idempotent reads on network failures, 429, 502, 503 and 504. */
  retry: z
    .object({
      maxRetries: z.number().int().min(0).max(10).default(DEFAULT_RETRY.maxRetries).describe('Retries after the first attempt (0: none).'),
      initialDelayMs: z
        .number()
        .int()
        .min(1)
        .max(60_000)
        .default(DEFAULT_RETRY.initialDelayMs)
        .describe("The first backoff's upper bound, ms; each next one doubles, up to `maxDelayMs` (full jitter below it)."),
      maxDelayMs: z.number().int().min(1).max(300_000).default(DEFAULT_RETRY.maxDelayMs).describe('The longest any one backoff may be, ms.'),
      maxTotalMs: z
        .number()
        .int()
        .min(0)
        .max(600_000)
        .default(DEFAULT_RETRY.maxTotalMs)
        .describe('No retry starts later than this after the first attempt, ms.'),
    })
    .strict()
    .default(DEFAULT_RETRY)
    .describe('Retries of idempotent reads on network failures, 429, 502, 503 and 504.'),
  /** The circuit breaker of this source. */
  circuitBreaker: z
    .object({
      consecutiveFailures: z
        .number()
        .int()
        .min(1)
        .max(1000)
        .default(DEFAULT_BREAKER.consecutiveFailures)
        .describe('Consecutive failed calls (network failures, 5xx) that open the circuit.'),
      halfOpenAfterMs: z
        .number()
        .int()
        .min(100)
        .max(3_600_000)
        .default(DEFAULT_BREAKER.halfOpenAfterMs)
        .describe('How long an open circuit refuses calls before one probe is let through, ms.'),
    })
    .strict()
    .default(DEFAULT_BREAKER)
    .describe('The circuit breaker of this source.'),
  /**
   * Most upstream calls in flight at once to this source. 32: a dashboard query over a project's
   * instances goes out in one round (each instance's read is independent).
   */
  maxConcurrency: z.number().int().min(1).max(256).default(32).describe('Most upstream calls in flight at once to this source.'),
  /**
   * Calls a second to this source on average, and at once. Huawei documents no quota for the DCS
   * and RDS control-plane APIs (throttled calls: 429 APIGW.0308); API Gateway's default for
   * published APIs is 200 requests a second per API, so 100 a second per source (over every API
   * it calls) with bursts of 200 stays under even that. obshell documents none.
   */
  rateLimit: z
    .object({
      perSecond: z.number().positive().max(100_000).default(DEFAULT_RATE.perSecond).describe('Calls a second to this source on average.'),
      burst: z.number().int().min(1).max(100_000).default(DEFAULT_RATE.burst).describe('Calls that may go out to this source at once.'),
    })
    .strict()
    .default(DEFAULT_RATE)
    .describe('Calls a second to this source on average, and at once (a token bucket per source).'),
  /** What the snapshot may spend on this source in the background (and on `fresh: true` reads). */
  refreshBudget: z
    .object({
      callsPerMinute: z
        .number()
        .positive()
        .max(1_000_000)
        .default(DEFAULT_REFRESH_BUDGET.callsPerMinute)
        .describe('Upstream calls a minute the snapshot may make to this source (refreshes and `fresh: true` reads together).'),
      burst: z
        .number()
        .int()
        .min(1)
        .max(1_000_000)
        .optional()
        .meta({ examples: [600] })
        .describe('Calls it may spend at once (default: a minute’s worth).'),
    })
    .strict()
    .default(DEFAULT_REFRESH_BUDGET)
    .describe(
      "The snapshot's refresh budget for this source: 1,200 calls a minute by default (20 a second, a fifth of `rateLimit`'s default, so that queries keep the rest); it decides how fresh each target can be.",
    ),
  /** Recovery point objective for `backupCoverage`: a target without a success this recent is not OK. */
  rpoHours: z
    .number()
    .positive()
    .max(87_600)
    .default(24)
    .describe('Recovery point objective for `backupCoverage`, hours: a target without a success this recent is not OK.'),
  /** How far behind now log archiving (OceanBase) or a reported restorable window (RDS) may end before a target is not OK. */
  archiveLagToleranceMinutes: z
    .number()
    .positive()
    .max(525_600)
    .default(60)
    .describe(
      'How far behind now the archive checkpoint (OceanBase) or the end of the reported restorable window (RDS) may be before `backupCoverage` says `ARCHIVE_LAG`, minutes.',
    ),
};
