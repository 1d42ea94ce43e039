/**
 * The secrets this process holds (upstream passwords, secret keys, tokens, the JWT secret), so that
 * whatever is about to leave it (an error, a log line) can be cleaned of every one of them, not
 * only of the credentials of the source the text came from: an upstream may echo anything.
 */
const known = new Set<string>();

/** Values shorter than 4 characters are not redacted (they would blank out ordinary text). */
export function registerSecrets(...values: readonly (string | undefined | null)[]): void {
  for (const value of values) {
    if (!value || value.length < 4) continue;
    known.add(value);
    // The forms a secret is most often echoed in.
    for (const form of [encodeURIComponent(value), Buffer.from(value).toString('base64'), JSON.stringify(value).slice(1, -1)])
      if (form !== value) known.add(form);
  }
}

/** `text` with every registered secret (and `extra`) replaced by `***`. */
export function redactSecrets(text: string, extra: readonly (string | undefined)[] = []): string {
  let out = text;
  for (const secret of extra) if (secret && secret.length >= 4) out = out.split(secret).join('***');
  for (const secret of known) if (out.includes(secret)) out = out.split(secret).join('***');
  return out;
}

/** A copy of a JSON-like value with every string redacted. */
export function redactDeep(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactSecrets(value);
  if (depth > 8 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redactDeep(v, depth + 1));
  if (value instanceof Error) return redactDeep({ type: value.name, message: value.message }, depth + 1);
  return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v, depth + 1)]));
}
