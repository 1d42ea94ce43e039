/**
 * `node(id)` and `nodes(ids)`: every global ID back to its object, or null once it is gone. IDs
 * are decoded and validated first (a bad one refuses the whole call before any upstream call);
 * the look-ups then go to each source's session, which batches them by target (one operation's
 * look-ups of one instance's backups are one read of that instance's list).
 */
import { BadInputError } from '../core/errors.js';
import type { NodeRef } from '../core/ids.js';
import type { NodeLike } from '../core/models.js';
import { toError } from '../lib/memo.js';
import type { Operation } from './fleet.js';

function lookUp(op: Operation, ref: NodeRef): Promise<NodeLike | null> {
  const session = op.session(ref.source);
  // A well-formed ID of a source that is no longer configured names nothing.
  return session ? session.node(ref) : Promise.resolve(null);
}

export function node(op: Operation, id: string): Promise<NodeLike | null> {
  return lookUp(op, op.fleet.codec.decode(id, 'id'));
}

/** Each look-up fails or succeeds on its own: a failed one is an `Error` in its place (reported at its path). */
export function nodes(op: Operation, ids: readonly string[]): Promise<(NodeLike | null | Error)[]> {
  const max = op.fleet.settings.maxNodeIds;
  if (ids.length > max) throw new BadInputError(`\`ids\` may hold at most ${max} IDs; got ${ids.length}.`, 'ids');
  const refs = ids.map((id) => op.fleet.codec.decode(id, 'ids'));
  return Promise.all(refs.map((ref) => lookUp(op, ref).catch(toError)));
}
