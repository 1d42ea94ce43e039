/**
 * Time ranges over backups' start times, as the core asks providers for them: both ends
 * inclusive, in whole milliseconds (`startedAt` has millisecond precision), `null` for open.
 * Each provider turns one into its upstream's own filter (seconds, nanoseconds, another field)
 * and guarantees that what it returns is exactly the backups whose `startedAt` lies in it.
 */
import { BadInputError } from './errors.js';
import { statusWanted, type BackupCommon, type BackupStatus } from './models.js';

export interface MsRange {
  from: number | null;
  to: number | null;
}

export const OPEN_RANGE: MsRange = { from: null, to: null };

export function inMsRange(startedAt: Date | null, range: MsRange): boolean {
  if (range.from === null && range.to === null) return true;
  if (startedAt === null) return false;
  const t = startedAt.getTime();
  return (range.from === null || t >= range.from) && (range.to === null || t <= range.to);
}

/** The backups of `items` in the range and of the statuses (for upstreams that cannot filter themselves). */
export function keepMatching<T extends BackupCommon>(items: readonly T[], range: MsRange, statuses?: readonly BackupStatus[] | null): T[] {
  return items.filter((b) => inMsRange(b.startedAt, range) && statusWanted(b.status, statuses));
}

/** Seconds below `ms` (for upstream filters at one-second precision: the lower end). */
export function floorSeconds(ms: number): number {
  return Math.floor(ms / 1000) * 1000;
}

/** Seconds above `ms` (the upper end). */
export function ceilSeconds(ms: number): number {
  return Math.ceil(ms / 1000) * 1000;
}

/** Refuses a range whose start is after its end, naming the argument. */
export function checkTimeRange(since: Date | null | undefined, until: Date | null | undefined, argumentName: string): void {
  if (since && until && since.getTime() > until.getTime()) {
    throw new BadInputError(`\`${argumentName}\`: \`since\` must not be later than \`until\`.`, argumentName);
  }
}

/** A GraphQL `since`/`until` pair as a range. */
export function rangeOf(since: Date | null | undefined, until: Date | null | undefined): MsRange {
  return { from: since ? since.getTime() : null, to: until ? until.getTime() : null };
}
