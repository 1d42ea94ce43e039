/** JSON with object keys sorted, so equal values always hash alike. */
export function stableJson(value: unknown): string {
  // The common keys (loader keys, cursor identities) are strings and flat objects of scalars:
  // written directly, with the very text the general path gives (cursors handed out stay valid).
  if (typeof value === 'string') return JSON.stringify(value);
  if (value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
    const flat = flatJson(value as Record<string, unknown>);
    if (flat !== undefined) return flat;
  }
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Date)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/**
 * A flat object of strings, numbers, booleans and nulls (absent values left out, as JSON does); else
 * undefined, as for a key that reads as an array index (objects list those first, in numeric order).
 */
function flatJson(object: Record<string, unknown>): string | undefined {
  const keys = Object.keys(object);
  if (keys.length > 1) keys.sort();
  let out = '{';
  for (const key of keys) {
    const v = object[key];
    if (v === undefined) continue;
    let text: string;
    if (typeof v === 'string') text = JSON.stringify(v);
    else if (typeof v === 'number') text = Number.isFinite(v) ? String(v) : 'null';
    else if (typeof v === 'boolean') text = v ? 'true' : 'false';
    else if (v === null) text = 'null';
    else return undefined;
    let name: string;
    if (PLAIN_NAME.test(key)) name = `"${key}"`;
    else if (INDEX_LIKE.test(key)) return undefined;
    else name = JSON.stringify(key);
    out += `${out.length > 1 ? ',' : ''}${name}:${text}`;
  }
  return `${out}}`;
}

/** A name JSON writes as it is, between quotes. */
const PLAIN_NAME = /^[A-Za-z_$][\w$]*$/;
const INDEX_LIKE = /^(?:0|[1-9]\d*)$/;
