/** Validation of Relay connection arguments (contract §4), before any upstream call. */
import { BadInputError } from '../core/errors.js';
import { decodeCursor, type CursorPosition } from './cursor.js';

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

export interface ConnectionArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
}

/** Validated arguments: at most one of `first`/`last`; cursors decoded and checked against their list. */
export interface PageRequest {
  first?: number;
  last?: number;
  after?: CursorPosition;
  before?: CursorPosition;
}

/** `first`/`last` checked (1..100, not both); cursors are for the caller to decode. */
export function parseRelayArgs(args: ConnectionArgs): { first?: number; last?: number; defaultSize: number } {
  const first = args.first ?? undefined;
  const last = args.last ?? undefined;
  if (first !== undefined && last !== undefined) {
    throw new BadInputError('Pass `first` or `last`, not both.', 'last');
  }
  for (const [name, value] of [
    ['first', first],
    ['last', last],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > MAX_PAGE_SIZE)) {
      throw new BadInputError(`\`${name}\` must be between 1 and ${MAX_PAGE_SIZE}; got ${value}.`, name);
    }
  }
  return { ...(first === undefined ? {} : { first }), ...(last === undefined ? {} : { last }), defaultSize: DEFAULT_PAGE_SIZE };
}

export function parseConnectionArgs(args: ConnectionArgs, list: string | (() => string)): PageRequest {
  const { first, last } = parseRelayArgs(args);
  const request: PageRequest = {};
  const key = () => (typeof list === 'string' ? list : list());
  if (args.after != null) request.after = decodeCursor(args.after, key(), 'after');
  if (args.before != null) request.before = decodeCursor(args.before, key(), 'before');
  if (last !== undefined) request.last = last;
  else if (first !== undefined) request.first = first;
  // Neither given: the default page size, counted back from `before` when only `before` is given.
  else if (request.before && !request.after) request.last = DEFAULT_PAGE_SIZE;
  else request.first = DEFAULT_PAGE_SIZE;
  return request;
}
