import { isInteger, isSafeNumber, parse, stringify } from 'lossless-json';

/**
 * Parses JSON without losing integers above 2^53 (OceanBase SCNs, obshell `startAt`).
 * Safe numbers stay `number`; larger integers become `bigint`; unsafe non-integers
 * (which only lose digits past float precision) stay `number`.
 */
export function parseJsonLossless(text: string): unknown {
  return parse(text, null, parseNumber);
}

function parseNumber(value: string): number | bigint {
  if (isSafeNumber(value)) return Number(value);
  if (isInteger(value)) return BigInt(value);
  return Number(value);
}

/** Serializes JSON writing `bigint` values as raw integer literals (never as strings). */
export function stringifyJson(value: unknown): string {
  const text = stringify(value);
  if (text === undefined) throw new TypeError('value cannot be serialized to JSON');
  return text;
}
