/**
 * The streams the merge reads: a sorted upstream read through its time filter (with start times
 * shared to the millisecond, and ties ordered differently upstream than in our list) answers
 * exactly what the same items held in memory answer, for every position, size and side.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BackupCommon } from '../../src/core/models.js';
import type { MsRange } from '../../src/core/time-range.js';
import { BACKUP_ORDER, HEAD_SIZE, MemoryStream, SortedStream, type SortKey } from '../../src/fleet/streams.js';

function item(t: number, id: string): BackupCommon {
  return { kind: 'X', id, provider: 'X', source: 's', status: 'SUCCEEDED', providerStatus: 'ok', startedAt: new Date(t), finishedAt: null, sizeBytes: null };
}

/** An upstream that sorts by start time only (ties in its own order: by ID descending) and filters inclusively. */
function sortedReader(items: readonly BackupCommon[], reads: { n: number }) {
  return {
    sorted: true as const,
    async read(range: MsRange, order: 'desc' | 'asc', size: number) {
      reads.n++;
      const matching = items.filter(
        (b) => (range.from === null || b.startedAt!.getTime() >= range.from) && (range.to === null || b.startedAt!.getTime() <= range.to),
      );
      const sorted = [...matching].sort((a, b) => {
        const d = a.startedAt!.getTime() - b.startedAt!.getTime();
        return (order === 'asc' ? d : -d) || (a.id < b.id ? 1 : -1);
      });
      return { items: sorted.slice(0, size), total: matching.length };
    },
  };
}

const arbItems = fc
  .uniqueArray(fc.record({ t: fc.integer({ min: 0, max: 60 }), id: fc.string({ minLength: 1, maxLength: 3, unit: fc.constantFrom('a', 'b', 'c', 'd') }) }), {
    minLength: 0,
    maxLength: 260,
    // Long lists too (fast-check favours short ones): a window longer than the head is the case that reads with the time filter.
    size: 'max',
    selector: (r) => r.id + '@' + r.t,
  })
  .map((rows) => rows.map((r, i) => item(1_000_000 + r.t, `${r.id}${i}`)));

describe('SortedStream', () => {
  it('answers like the same items in memory (property)', async () => {
    await fc.assert(
      fc.asyncProperty(
        arbItems,
        fc.option(fc.integer({ min: 1_000_000 - 2, max: 1_000_062 }), { nil: null }),
        fc.option(fc.integer({ min: 1_000_000 - 2, max: 1_000_062 }), { nil: null }),
        fc.integer({ min: 0, max: 1 }),
        fc.integer({ min: 0, max: 1 }),
        fc.integer({ min: 0, max: 15 }),
        fc.constantFrom<'lo' | 'hi'>('lo', 'hi'),
        fc.integer({ min: 0, max: 40 }),
        async (items, loT, hiT, loPick, hiPick, n, side, windowFrom) => {
          const window: MsRange = { from: 1_000_000 + windowFrom - 20, to: null };
          const inWindow = items.filter((b) => b.startedAt!.getTime() >= window.from!);
          // Positions: keys of real items (ties included) or made-up ones between them.
          const pick = (t: number | null, choice: number): SortKey | null => {
            if (t === null) return null;
            const atT = inWindow.filter((b) => b.startedAt!.getTime() === t);
            return choice === 1 && atT.length > 0 ? BACKUP_ORDER.key(atT[Math.floor(atT.length / 2)]!) : { t, id: 'b' };
          };
          const between = { lo: pick(loT, loPick), hi: pick(hiT, hiPick) };
          const reads = { n: 0 };
          const expected = await new MemoryStream(inWindow, BACKUP_ORDER).slice(between, n, side);
          const actual = await new SortedStream(sortedReader(items, reads), window).slice(between, n, side);
          expect(actual.items.map((b) => b.id)).toEqual(expected.items.map((b) => b.id));
          expect(actual.count).toBe(expected.count);
        },
      ),
      { numRuns: 600, seed: 20261201 },
    );
  });

  it('answers a first page and the next ones from one head read when the window fits in it', async () => {
    const items = Array.from({ length: HEAD_SIZE }, (_, i) => item(1_000_000 + i * 1000, `id${i}`));
    const reads = { n: 0 };
    const stream = new SortedStream(sortedReader(items, reads), { from: 0, to: null });
    const first = await stream.slice({ lo: null, hi: null }, 20, 'lo');
    const next = await stream.slice({ lo: BACKUP_ORDER.key(first.items.at(-1)!), hi: null }, 20, 'lo');
    const last = await stream.slice({ lo: null, hi: null }, 20, 'hi');
    expect([first.count, next.count, last.count]).toEqual([HEAD_SIZE, HEAD_SIZE - 20, HEAD_SIZE]);
    expect(reads.n).toBe(1);
  });

  it('reads further positions with the time filter, one call each, when the window is longer than the head', async () => {
    const items = Array.from({ length: 3 * HEAD_SIZE }, (_, i) => item(1_000_000 + i * 1000, `id${String(i).padStart(4, '0')}`));
    const reads = { n: 0 };
    const stream = new SortedStream(sortedReader(items, reads), { from: 0, to: null });
    const inHead = await stream.slice({ lo: BACKUP_ORDER.key(items[250]!), hi: null }, 20, 'lo');
    expect(reads.n).toBe(1);
    expect(inHead.items.map((b) => b.id)).toEqual(
      items
        .slice(230, 250)
        .reverse()
        .map((b) => b.id),
    );
    const deep = await stream.slice({ lo: BACKUP_ORDER.key(items[100]!), hi: null }, 20, 'lo');
    expect(reads.n).toBe(2);
    expect(deep.items.map((b) => b.id)).toEqual(
      items
        .slice(80, 100)
        .reverse()
        .map((b) => b.id),
    );
    expect(deep.count).toBe(100);
  });

  it('does not trust the last millisecond of a partial read: the upstream may order its ties otherwise', async () => {
    // 98 items, then three that started in the same millisecond, the oldest; the head (100) holds two of those three.
    const items = [
      ...Array.from({ length: 98 }, (_, i) => item(10_000 - i, `n${String(i).padStart(3, '0')}`)),
      item(100, 'g1'),
      item(100, 'g2'),
      item(100, 'g3'),
    ];
    const stream = new SortedStream(sortedReader(items, { n: 0 }), { from: 0, to: null });
    const page = await stream.slice({ lo: BACKUP_ORDER.key(items[95]!), hi: null }, 4, 'lo');
    expect(page.items.map((b) => b.id)).toEqual(['n096', 'n097', 'g1', 'g2']);
    expect(page.count).toBe(5);
  });
});
