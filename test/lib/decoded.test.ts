/** Decoded answers are remembered per answer object (a cached page is decoded once), frozen, and failures are not remembered. */
import { describe, expect, it } from 'vitest';
import { decodeOnce, mapOnce, markShared } from '../../src/lib/decoded.js';

describe('decodeOnce', () => {
  it('decodes an answer once per schema, and shares the frozen value', () => {
    const answer = { status: 200, text: '{"items":[{"id":1}]}' };
    markShared(answer);
    const schemaA = {};
    const schemaB = {};
    let decodes = 0;
    const decode = () => {
      decodes++;
      return JSON.parse(answer.text) as { items: { id: number; at?: Date }[] };
    };
    const first = decodeOnce(answer, schemaA, decode);
    const again = decodeOnce(answer, schemaA, decode);
    expect(again).toBe(first);
    expect(decodes).toBe(1);
    // Deeply frozen: an operation cannot change what another one reads.
    expect(Object.isFrozen(first.items[0])).toBe(true);
    expect(() => {
      first.items[0]!.id = 2;
    }).toThrow(TypeError);
    // Another schema over the same answer, or another answer with the same text: decoded again.
    expect(decodeOnce(answer, schemaB, decode)).not.toBe(first);
    const copy = { ...answer };
    markShared(copy);
    expect(decodeOnce(copy, schemaA, decode)).not.toBe(first);
    expect(decodes).toBe(3);
    // An answer nobody serves again is decoded each time, and left as it is (not frozen).
    const once = { status: 200, text: '{"items":[]}' };
    expect(decodeOnce(once, schemaA, decode)).not.toBe(decodeOnce(once, schemaA, decode));
    expect(Object.isFrozen(decodeOnce(once, schemaA, decode))).toBe(false);
  });

  it('does not remember a failure', () => {
    const answer = {};
    markShared(answer);
    let calls = 0;
    const failing = () => {
      calls++;
      throw new Error('bad body');
    };
    expect(() => decodeOnce(answer, null, failing)).toThrow('bad body');
    expect(() => decodeOnce(answer, null, failing)).toThrow('bad body');
    expect(calls).toBe(2);
    expect(decodeOnce(answer, null, () => 'fine')).toBe('fine');
  });
});

describe('mapOnce', () => {
  it('maps a shared (frozen) row once per mapper; a row of a fresh answer every time', () => {
    let maps = 0;
    const toModel = (row: { id: number }) => {
      maps++;
      return { id: `m${row.id}` };
    };
    const other = (row: { id: number }) => ({ other: row.id });
    const page = {};
    markShared(page);
    const shared = decodeOnce(page, null, () => ({ id: 1 }));
    const a = mapOnce(shared, toModel, () => toModel(shared));
    expect(mapOnce(shared, toModel, () => toModel(shared))).toBe(a);
    expect(maps).toBe(1);
    expect(Object.isFrozen(a)).toBe(true);
    expect(mapOnce(shared, other, () => other(shared))).toEqual({ other: 1 });
    const fresh = { id: 2 };
    expect(mapOnce(fresh, toModel, () => toModel(fresh))).not.toBe(mapOnce(fresh, toModel, () => toModel(fresh)));
    expect(maps).toBe(3);
  });
});
