/** Global IDs for tests, from named keys (`{ type: 'DcsInstance', source, instanceId }`). */
import { createIdCodec } from '../../src/providers/index.js';

const codec = createIdCodec();

export function encodeId(ref: { type: string; source: string } & Record<string, string | number>): string {
  return codec.encode(ref.type, ref.source, ref);
}
