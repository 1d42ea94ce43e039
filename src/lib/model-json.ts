/**
 * Models as JSON and back, `Date`s kept (`{"$date": <epoch ms>}`): what crosses Redis (live events,
 * stored idempotent outcomes) is rebuilt into the objects the resolvers expect.
 */
export function modelToJson(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, val: unknown) {
    const raw = this[key];
    return raw instanceof Date ? { $date: raw.getTime() } : val;
  });
}

export function modelFromJson<T>(text: string): T {
  return JSON.parse(text, (_key, val: unknown) => {
    if (val !== null && typeof val === 'object' && !Array.isArray(val)) {
      const keys = Object.keys(val);
      const ms = (val as { $date?: unknown }).$date;
      if (keys.length === 1 && typeof ms === 'number') return new Date(ms);
    }
    return val;
  }) as T;
}
