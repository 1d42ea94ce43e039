/**
 * The parts of a source's configuration every provider module shares (contract §3): the name,
 * the tuning of its upstream calls, its RPO. A module's own schema adds its connection fields.
 */
import { z } from 'zod';

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
  name: sourceName,
  /** Deadline of each upstream call, ms. */
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
  /** Most upstream calls in flight at once to this source. */
  maxConcurrency: z.number().int().min(1).max(256).default(8),
  /** Recovery point objective for `backupCoverage`: a target without a success this recent is not OK. */
  rpoHours: z.number().positive().max(87_600).default(24),
};
