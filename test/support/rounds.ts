/**
 * Rounds of dependent upstream calls, counted deterministically: the simulators hold every request
 * unanswered; whatever the gateway sends while nothing is answered is one round; then that round is
 * answered and the next one is awaited. An operation whose calls could all go out at once has one
 * round, whatever the machine's speed.
 */
import { sleep } from '../../src/simulators/harness.js';
import type { Stack } from './stack.js';

/** How long the gateway must have sent nothing new before a round is taken to be complete. */
const QUIET_MS = 120;

export async function inRounds<T>(stack: Stack, run: () => Promise<T>): Promise<{ value: T; rounds: number[] }> {
  const servers = [...stack.sims.obshell.map((s) => s.server), stack.sims.huawei.server];
  const held = () => servers.reduce((n, s) => n + s.heldCount, 0);
  servers.forEach((s) => s.hold(true));
  let done = false;
  const pending = run().finally(() => {
    done = true;
  });
  const rounds: number[] = [];
  try {
    while (!done) {
      let seen = held();
      let quietSince = performance.now();
      while (!done) {
        await sleep(10);
        const now = held();
        if (now !== seen) {
          seen = now;
          quietSince = performance.now();
        } else if (now > 0 && performance.now() - quietSince >= QUIET_MS) break;
      }
      if (done) break;
      rounds.push(seen);
      servers.forEach((s) => s.release());
    }
  } finally {
    servers.forEach((s) => s.hold(false));
  }
  return { value: await pending, rounds };
}
