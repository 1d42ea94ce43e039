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
