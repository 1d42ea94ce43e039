import { describe, expect, it } from 'vitest';
import { parseJsonLossless, stringifyJson } from '../../src/lib/json.js';

describe('lossless JSON', () => {
  it('keeps integers above 2^53 exact and small numbers as numbers', () => {
    const text = '{"scn":1728727696264250400,"n":42,"f":144225.6503,"big":18446744073709551615}';
    const value = parseJsonLossless(text) as Record<string, unknown>;
    expect(value.scn).toBe(1728727696264250400n);
    expect(BigInt(JSON.parse(text).scn as number)).not.toBe(1728727696264250400n);
    expect(value.n).toBe(42);
    expect(value.f).toBe(144225.6503);
    expect(value.big).toBe(18446744073709551615n);
  });

  it('writes bigint values as raw integer literals', () => {
    expect(stringifyJson({ scn: 1728727696264250400n, n: 1 })).toBe('{"scn":1728727696264250400,"n":1}');
  });
});

describe('lossless JSON fast path', () => {
  it('is exact for unsafe integers anywhere in the text, and for text without them', () => {
    expect((parseJsonLossless('{"a":9007199254740993}') as { a: unknown }).a).toBe(9007199254740993n);
    expect((parseJsonLossless('[1, -9007199254740993]') as unknown[])[1]).toBe(-9007199254740993n);
    expect(parseJsonLossless('{"id":"4e5f","n":[1,2.5,-3],"s":"x"}')).toEqual({ id: '4e5f', n: [1, 2.5, -3], s: 'x' });
    expect(parseJsonLossless('{"max":9007199254740991}')).toEqual({ max: 9007199254740991 });
    // Where a JSON number can start: the text's start, after whitespace, in an array, after a minus.
    expect(parseJsonLossless('9007199254740993')).toBe(9007199254740993n);
    expect(parseJsonLossless('{"a" :\n\t 9007199254740993}')).toEqual({ a: 9007199254740993n });
    expect(parseJsonLossless('[9007199254740993,\r\n-9007199254740995]')).toEqual([9007199254740993n, -9007199254740995n]);
    // A long run of digits in a float or a string is not an integer: the same values either way.
    expect(parseJsonLossless('{"size":0.30000000000000004,"id":"12345678901234567890","big":1e300}')).toEqual({
      size: 0.30000000000000004,
      id: '12345678901234567890',
      big: 1e300,
    });
    expect(parseJsonLossless('{"x":12345678901234567.5}')).toEqual({ x: Number('12345678901234567.5') });
  });

  it('writes values without bigint natively and refuses what JSON cannot hold', () => {
    expect(stringifyJson({ a: [1, 'x', null], b: { c: true } })).toBe('{"a":[1,"x",null],"b":{"c":true}}');
    expect(stringifyJson({ deep: [{ scn: 18446744073709551615n }] })).toBe('{"deep":[{"scn":18446744073709551615}]}');
  });
});
