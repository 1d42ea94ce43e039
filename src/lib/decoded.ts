/**
 * Decoded upstream answers, remembered per answer object: a page the cache serves again (the same
 * object for as long as it is cached) is parsed and validated once, not once per operation that
 * reads it. The values are deeply frozen, since every operation that reads the page shares them;
 * a consumer that tried to change one would throw (modules are strict).
 */
const decoded = new WeakMap<object, Map<unknown, unknown>>();
const shared = new WeakSet<object>();

/** Says that `answer` is served again (the page cache holds it): its decoded value is worth keeping. */
export function markShared(answer: object): void {
  shared.add(answer);
}

/**
 * The value `decode` gives for `answer` read with `schema`: for an answer the cache serves again,
 * computed the first time, then remembered with the answer (and frozen); for any other, just decoded.
 */
export function decodeOnce<T>(answer: object, schema: unknown, decode: () => T): T {
  if (!shared.has(answer)) return decode();
  let bySchema = decoded.get(answer);
  if (bySchema?.has(schema)) return bySchema.get(schema) as T;
  const value = deepFreeze(decode());
  if (!bySchema) decoded.set(answer, (bySchema = new Map()));
  bySchema.set(schema, value);
  return value;
}

function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) for (const item of value) deepFreeze(item);
  else if (!(value instanceof Date)) for (const key of Object.keys(value)) deepFreeze((value as Record<string, unknown>)[key]);
  return value;
}

const mapped = new WeakMap<object, Map<unknown, unknown>>();

/**
 * `map()` of a row of a decoded answer, remembered with the row while it is shared (frozen: it
 * came from a page the cache serves again), so operations that read the same cached page map it
 * once; `mapper` (the mapping function) tells mappings of one row apart. The value is deeply
 * frozen, like the row.
 */
export function mapOnce<T>(row: object, mapper: unknown, map: () => T): T {
  if (!Object.isFrozen(row)) return map();
  let byMapper = mapped.get(row);
  if (byMapper?.has(mapper)) return byMapper.get(mapper) as T;
  const value = deepFreeze(map());
  if (!byMapper) mapped.set(row, (byMapper = new Map()));
  byMapper.set(mapper, value);
  return value;
}
