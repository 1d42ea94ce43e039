/**
 * Opaque cursors. A cursor names its list (a hash of the connection, its parent and its filter),
 * the segment of the list it points into (one per upstream list for lists merged from several),
 * and the offset within that segment. A cursor from another list, or one that was tampered with,
 * is refused rather than silently ignored.
 */
import { createHash } from 'node:crypto';
import { BadInputError } from '../core/errors.js';
import { stableJson } from '../lib/stable-json.js';

const VERSION = 'c1';

export interface CursorPosition {
  /** Key of the segment the cursor points into ('' for single-segment lists). */
  segment: string;
  /** Offset of the edge within its segment. */
  offset: number;
}

/** A short, stable hash identifying one list: the connection field, its parent, its filter. */
export function listKey(identity: unknown): string {
  return createHash('sha256').update(stableJson(identity)).digest('base64url').slice(0, 16);
}

/** `listKey`, computed the first time it is needed (a page whose cursors nobody reads never hashes its identity). */
export function lazyListKey(identity: unknown): () => string {
  let key: string | undefined;
  return () => (key ??= listKey(identity));
}

export function encodeCursor(list: string, position: CursorPosition): string {
  return Buffer.from(JSON.stringify([VERSION, list, position.segment, position.offset]), 'utf8').toString('base64url');
}

export function decodeCursor(cursor: string, list: string, argumentName: string): CursorPosition {
  let parsed: unknown;
  try {
    if (!/^[A-Za-z0-9_-]+$/.test(cursor)) throw new Error('not base64url');
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new BadInputError(`\`${argumentName}\` is not a valid cursor.`, argumentName);
  }
  // A keyset cursor (`k1`, src/fleet/keyset.ts) is a real cursor, of a list paged by keys.
  if (Array.isArray(parsed) && parsed[0] === 'k1' && typeof parsed[1] === 'string') {
    throw new BadInputError(`\`${argumentName}\` is a cursor from another list (another connection, parent or filter).`, argumentName);
  }
  if (
    !Array.isArray(parsed) ||
    parsed.length !== 4 ||
    parsed[0] !== VERSION ||
    typeof parsed[1] !== 'string' ||
    typeof parsed[2] !== 'string' ||
    !Number.isSafeInteger(parsed[3]) ||
    // -1: just before a segment's first item (page 1's cursor, see pageCursors).
    (parsed[3] as number) < -1
  ) {
    throw new BadInputError(`\`${argumentName}\` is not a valid cursor.`, argumentName);
  }
  if (parsed[1] !== list) {
    throw new BadInputError(`\`${argumentName}\` is a cursor from another list (another connection, parent or filter).`, argumentName);
  }
  return { segment: parsed[2], offset: parsed[3] as number };
}
