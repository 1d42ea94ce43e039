/** Query parsing and paging the simulated DCS and RDS services share. */
import type { SimRequest, SimResponse } from '../harness.js';
import type { HuaweiAccountSim, HuaweiProjectSim } from '../fleet.js';
import { stringifyJson } from '../../lib/json.js';
import type { Caller } from './gateway.js';

export const JSON_HEADERS = { 'content-type': 'application/json;charset=UTF-8' } as const;

/** IAM project ID as both services expect it in the path. */
export const PROJECT_ID = /^[0-9a-f]{32}$/;

/** A JSON answer in a service's own shape. */
export function json(status: number, body: unknown): SimResponse {
  return { status, headers: { ...JSON_HEADERS }, body: stringifyJson(body) };
}

/**
 * Epoch ms of a UTC wall-clock time, or undefined when a field is out of range (month 13,
 * 30 February, hour 24…), which `Date.UTC` would otherwise roll over.
 */
export function utcFromFields(y: number, mo: number, d: number, h: number, mi: number, s: number): number | undefined {
  const ms = Date.UTC(y, mo - 1, d, h, mi, s);
  const t = new Date(ms);
  const same =
    t.getUTCFullYear() === y &&
    t.getUTCMonth() === mo - 1 &&
    t.getUTCDate() === d &&
    t.getUTCHours() === h &&
    t.getUTCMinutes() === mi &&
    t.getUTCSeconds() === s;
  return same ? ms : undefined;
}

/** Outcome of reading a parameter: its value, or the name of the parameter that is wrong. */
export type Parsed<T> = { ok: true; value: T } | { ok: false; param: string };

/**
 * An integer query parameter: absent → `fallback`; otherwise plain digits within [min, max].
 * An empty value, a sign, a fraction or anything else is invalid.
 */
export function intParam(req: SimRequest, name: string, min: number, max: number, fallback: number): Parsed<number> {
  const raw = req.query.get(name);
  if (raw === null) return { ok: true, value: fallback };
  if (!/^\d{1,9}$/.test(raw)) return { ok: false, param: name };
  const value = Number(raw);
  return value < min || value > max ? { ok: false, param: name } : { ok: true, value };
}

/** `offset` and `limit` with the service's bounds and default page size. */
export function pageParams(req: SimRequest, maxLimit: number, defaultLimit: number): Parsed<{ offset: number; limit: number }> {
  const offset = intParam(req, 'offset', 0, Number.MAX_SAFE_INTEGER, 0);
  if (!offset.ok) return offset;
  const limit = intParam(req, 'limit', 1, maxLimit, defaultLimit);
  if (!limit.ok) return limit;
  return { ok: true, value: { offset: offset.value, limit: limit.value } };
}

/** A string parameter that, when present, must be one of `allowed`. */
export function enumParam(req: SimRequest, name: string, allowed: readonly string[]): Parsed<string | undefined> {
  const raw = req.query.get(name);
  if (raw === null) return { ok: true, value: undefined };
  return allowed.includes(raw) ? { ok: true, value: raw } : { ok: false, param: name };
}

export function page<T>(items: readonly T[], offset: number, limit: number): T[] {
  return items.slice(offset, offset + limit);
}

/**
 * The project named in the path, if the caller may use it: the account must have it, and an
 * AK/SK caller's `X-Project-Id` (when sent) must name the same project. The account's token is
 * scoped to all of its projects.
 */
export function projectFor(account: HuaweiAccountSim, projectId: string, caller: Caller): HuaweiProjectSim | undefined {
  if (caller.projectIdHeader !== undefined && caller.projectIdHeader !== projectId) return undefined;
  return account.projects.find((p) => p.projectId === projectId);
}

/** Seconds precision: upstream query times have no fraction, so a record's own second counts. */
export function inRange(epochMs: number, range: { begin: number; end: number } | undefined): boolean {
  if (!range) return true;
  const second = Math.floor(epochMs / 1000) * 1000;
  return second >= range.begin && second <= range.end;
}

/**
 * A JSON object request body: the object, `{}` for an empty body, or undefined when the body is
 * not a JSON object (each service answers that with its own parameter error).
 */
export function objectBody(req: SimRequest): Record<string, unknown> | undefined {
  if (req.body.length === 0) return {};
  try {
    const value: unknown = JSON.parse(req.body.toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}
