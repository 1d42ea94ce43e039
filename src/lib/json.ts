import { isInteger, isSafeNumber, parse, stringify } from 'lossless-json';

/**
 * Parses JSON without losing integers above 2^53 (OceanBase SCNs, obshell `startAt`).
 * Safe numbers stay `number`; larger integers become `bigint`; unsafe non-integers
 * (which only lose digits past float precision) stay `number`.
 *
 * lossless-json's parser is written in JavaScript and several times slower than `JSON.parse`, so
 * text that cannot hold an unsafe integer goes to `JSON.parse`: an integer above 2^53 has at least
 * 16 digits, and text without such a run of digits (anywhere: a match in a string only costs
 * speed) parses exactly either way. Integers are written out in digits by every upstream here
 * (Go's encoding/json never uses an exponent for int64).
 */
export function parseJsonLossless(text: string): unknown {
  if (!SIXTEEN_DIGITS.test(text)) return JSON.parse(text);
  return parse(text, null, parseNumber);
}

const SIXTEEN_DIGITS = /\d{16}/;

function parseNumber(value: string): number | bigint {
  if (isSafeNumber(value)) return Number(value);
  if (isInteger(value)) return BigInt(value);
  return Number(value);
}

/**
 * Serializes JSON writing `bigint` values as raw integer literals (never as strings). Values
 * without a bigint take the native `JSON.stringify`.
 */
export function stringifyJson(value: unknown): string {
  let hasBigint = false;
  const text = JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'bigint') return v;
    hasBigint = true;
    return 0;
  });
  if (!hasBigint) return text;
  const exact = stringify(value);
  if (exact === undefined) throw new TypeError('value cannot be serialized to JSON');
  return exact;
}
