import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { stableJson } from '../../src/lib/stable-json.js';

/** The reference: every object's keys sorted (recursively), then plain JSON. */
function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object' && !(value instanceof Date)) {
    const out = Object.create(null) as Record<string, unknown>;
    for (const key of Object.keys(value).sort()) out[key] = sorted((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

describe('stable JSON', () => {
  it('sorts keys at every depth and writes what JSON writes', () => {
    expect(stableJson({ b: 1, a: 'x', c: undefined, d: null })).toBe('{"a":"x","b":1,"d":null}');
    expect(stableJson({ z: { y: 1, x: [2, { b: 1, a: 2 }] }, at: new Date(0) })).toBe('{"at":"1970-01-01T00:00:00.000Z","z":{"x":[2,{"a":2,"b":1}],"y":1}}');
    expect(stableJson('')).toBe('""');
    // Keys that read as array indexes come first, in numeric order, as in any object.
    expect(stableJson({ a: 3, 10: 1, 2: 2 })).toBe('{"2":2,"10":1,"a":3}');
    expect(stableJson({ n: NaN, '\u00e9': 1, E: 2 })).toBe('{"E":2,"n":null,"\u00e9":1}');
  });

  it('agrees with the reference on any JSON-like value, flat objects of scalars included', () => {
    const scalar = fc.oneof(fc.string(), fc.double(), fc.integer(), fc.boolean(), fc.constant(null), fc.constant(undefined));
    const flat = fc.dictionary(fc.string(), scalar);
    const nested = fc.letrec((tie) => ({
      value: fc.oneof({ depthSize: 'small' }, scalar, fc.array(tie('value')), fc.dictionary(fc.string(), tie('value'))),
    })).value;
    fc.assert(
      fc.property(fc.oneof(flat, nested, fc.string()), (value) => {
        expect(stableJson(value)).toBe(JSON.stringify(sorted(value)));
      }),
      { numRuns: 5_000 },
    );
  });
});
