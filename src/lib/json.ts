import { isInteger, isSafeNumber, parse, stringify } from 'lossless-json';

/**
 * Parses JSON without losing integers above 2^53 (OceanBase SCNs, obshell `startAt`).
 * Safe numbers stay `number`; larger integers become `bigint`; unsafe non-integers
 * (which only lose digits past float precision) stay `number`.
 *
 * lossless-json's parser is written in JavaScript and several times slower than `JSON.parse`, so
 * text that cannot hold an unsafe integer goes to `JSON.parse`: an integer above 2^53 has at least
 * 16 digits, and a JSON number starts the text or follows `:`, `[` or `,` (and whitespace, and a
 * minus sign); text without such a start followed by 16 digits parses exactly either way. A match
 * inside a string only costs speed; a float's digits after its point (`0.30000000000000004`, the
 * sizes Huawei's answers carry) no longer send the text down the slow path. Integers are written
 * out in digits by every upstream here (Go's encoding/json never uses an exponent for int64).
 */
export function parseJsonLossless(text: string): unknown {
  if (!LONG_INTEGER_START.test(text)) return JSON.parse(text);
  return parse(text, null, parseNumber);
}

const LONG_INTEGER_START = /(?:^|[:[,])\s*-?\d{16}/;

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
