/**
 * The stack with its first OceanBase source served by an agent older than obshell 4.3.2.0 (the
 * legacy error style, version 4.3.0.0): the same cluster as the stack's `ob-hangzhou` (the fleet is
 * deterministic), so the gateway's `ob-hangzhou` source points at it.
 */
import { generateFleet } from '../../src/simulators/fleet.js';
import { startObshellSimulator, type ObshellSimulator } from '../../src/simulators/obshell/server.js';
import { FIXED_CLOCK, FIXED_NOW, startStack, type Stack } from './stack.js';

export async function startLegacyStack(): Promise<{ stack: Stack; legacy: ObshellSimulator; close: () => Promise<void> }> {
  const cluster = generateFleet({ now: FIXED_NOW }).oceanbase[0]!;
  const legacy = await startObshellSimulator({ cluster, errorStyle: 'legacy', clock: FIXED_CLOCK });
  const stack = await startStack({
    configure: (config) => ({
      ...config,
      sources: config.sources.map((s) => (s.name === cluster.name && s.provider === 'oceanbase' ? { ...s, url: legacy.url } : s)),
    }),
  });
  return {
    stack,
    legacy,
    close: async () => {
      await stack.close();
      await legacy.close();
    },
  };
}
