/**
 * The canonical operations make the fewest upstream calls the APIs allow, in the fewest rounds of
 * dependent calls (test/support/canonical.ts computes both from the fleet's rows; the call count
 * comes from the simulators' call log, the rounds from holding every request until the gateway
 * has sent all it can). Page cache off: every read is an upstream call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateFleet } from '../../src/simulators/fleet.js';
import { canonicalOperations, type CanonicalOperation } from '../support/canonical.js';
import { inRounds } from '../support/rounds.js';
import { FIXED_NOW, ok, startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let operations: CanonicalOperation[];
beforeAll(async () => {
  stack = await startStack();
  operations = canonicalOperations(stack.sims.fleet, FIXED_NOW);
  // Each agent's public key and version are read once per process (kept 10 minutes): not the operations' cost.
  ok(await stack.query('{ tenants(first: 1) { totalCount } backupTasks(first: 1, filter: { providers: [OCEANBASE] }) { totalCount } }'));
});
afterAll(async () => {
  await stack.close();
});

/** The operations' names (the same fleet the stack serves, generated from the same clock). */
const NAMES = canonicalOperations(generateFleet({ now: FIXED_NOW }), FIXED_NOW).map((op) => op.name);

describe('canonical operations: fewest calls, fewest rounds', () => {
  it.each(NAMES)('%s', async (name) => {
    const op = operations.find((o) => o.name === name)!;
    const variables = op.prepare ? await op.prepare(async (q, v) => ok(await stack.query(q, v))) : op.variables;
    stack.clearCalls();
    const { value, rounds } = await inRounds(stack, () => stack.query(op.query, variables));
    expect(value.errors, op.name).toBeUndefined();
    const calls = stack.calls();
    const summary = { calls: calls.length, rounds: rounds.length, perRound: rounds };
    expect(
      summary,
      `${op.name}: ${op.minimum.why}\n${calls.map((c) => `${c.route} ${c.path}?${new URLSearchParams(c.query).toString()}`).join('\n')}`,
    ).toMatchObject({
      calls: op.minimum.calls,
      rounds: op.minimum.rounds,
    });
  });
});
