/**
 * Schema drift: real upstreams differ across versions. A field the gateway only passes through (a
 * comment, a count, a flag) that comes with an unexpected type or value becomes `null`, and a
 * warning is logged once per source and field; it never fails a list. What the gateway needs to be
 * correct (IDs, the times it sorts on, statuses, totals) stays strict in the wire schemas and fails
 * the call with `UPSTREAM_ERROR`.
 */
import { z } from 'zod';
import { log } from '../lib/log.js';

/** The fields that did not fit during the parse under way (parses are synchronous). */
let collecting: string[] | null = null;

/**
 * A pass-through field: its schema when the value fits; absent or null as it came; `null` when it
 * does not fit (noted for the warning).
 */
export function tolerant<T extends z.ZodType>(schema: T, field: string): z.ZodType<z.output<T> | null | undefined> {
  // `catch` rather than a transform that calls `safeParse`: the value is checked in the same pass,
  // with no result object of its own (a page of 9 DCS instances decodes in 0.14 ms instead of 0.40).
  return schema.nullish().catch(() => {
    collecting?.push(field);
    return null;
  });
}

type Tolerated<S extends Record<string, z.ZodType>, K extends keyof S> = { [P in keyof S]: P extends K ? S[P] : z.ZodType<z.output<S[P]> | null | undefined> };

/**
 * An object schema whose fields are all pass-through but those named `strict` (kept as given).
 * Unknown fields are kept as they came.
 */
export function tolerantObject<S extends Record<string, z.ZodType>, K extends keyof S & string>(
  prefix: string,
  shape: S,
  strict: readonly K[],
): z.ZodObject<Tolerated<S, K>> {
  const fields = Object.fromEntries(
    Object.entries(shape).map(([key, schema]) => [key, (strict as readonly string[]).includes(key) ? schema : tolerant(schema, `${prefix}.${key}`)]),
  );
  return z.looseObject(fields) as unknown as z.ZodObject<Tolerated<S, K>>;
}

/** The same, from an object schema written out in full (its shape is taken as it is). */
export function tolerate<S extends Record<string, z.ZodType>, K extends keyof S & string>(
  prefix: string,
  object: z.ZodObject<S>,
  strict: readonly K[],
): z.ZodObject<Tolerated<S, K>> {
  return tolerantObject(prefix, object.shape, strict);
}

/**
 * A 64-bit integer count (bytes, tablets, sizes) that only needs to be approximately right: a plain
 * number. What no int64 or uint64 can hold (2^64 and beyond, fractions) does not fit; as a
 * pass-through field it reads as null.
 */
export const wireCount = z
  .union([
    z.number().int(),
    z
      .bigint()
      .min(-(1n << 63n))
      .max((1n << 64n) - 1n),
  ])
  .transform((value) => Number(value));

const warned = new Set<string>();

/**
 * Parses an upstream answer with `schema`, and logs each pass-through field that did not fit once
 * per source and field.
 */
export function parseTolerant<T extends z.ZodType>(schema: T, value: unknown, source: string): z.ZodSafeParseResult<z.output<T>> {
  const outer = collecting;
  collecting = [];
  try {
    const result = schema.safeParse(value) as z.ZodSafeParseResult<z.output<T>>;
    for (const field of new Set(collecting)) {
      const key = `${source}\u0000${field}`;
      if (warned.has(key)) continue;
      warned.add(key);
      log.warn({ source, field }, `upstream field ${field} has an unexpected type or value; it reads as null (warned once per source and field)`);
    }
    return result;
  } finally {
    collecting = outer;
  }
}
