/** The per-request GraphQL context: the operation over the fleet, and the partial failures seen. */
import type { GraphQLError } from 'graphql';
import type { Fleet, Operation } from '../fleet/fleet.js';
import type { LiveHub } from '../live/hub.js';
import type { SnapshotService } from '../snapshot/service.js';
import type { ActionService } from './actions.js';
import type { Principal } from './auth.js';

/** What the mutations and subscriptions use besides the fleet (absent for in-process readers such as the collector). */
export interface Services {
  actions: ActionService;
  /** The subscriptions' hub (src/live/hub.ts). */
  live: LiveHub;
  /** Who the client is, for per-client limits: the credential's name, else its address. */
  clientKey?: string;
}

export interface GraphQLContext {
  /** Who is asking (`anonymous` when the API is open). */
  principal: Principal;
  /** This request's operation: its "now", call budget and per-source sessions (loaders are never shared between requests). */
  op: Operation;
  /** Failures of one source, service or target inside a list that still returned the others. */
  partialErrors: GraphQLError[];
  services?: Services;
  /** The fleet snapshot, when on (`snapshot.enabled`): the fleet views answer from it. */
  snapshot: SnapshotService | null;
}

/** `signal`: the request's, aborted when the client goes away. */
export function createContext(
  fleet: Fleet,
  principal: Principal,
  signal?: AbortSignal,
  requestId?: string,
  services?: Services,
  snapshot: SnapshotService | null = null,
): GraphQLContext {
  return { principal, op: fleet.operation(signal, principal.sources, requestId), partialErrors: [], snapshot, ...(services ? { services } : {}) };
}

/** A client's `X-Request-Id`, when it is one we can pass on and log (else the operation makes its own). */
export function requestIdOf(request: Request): string | undefined {
  const given = request.headers.get('x-request-id');
  return given !== null && /^[A-Za-z0-9._-]{8,64}$/.test(given) ? given : undefined;
}

/** The session of a source as its own module's class (for the module's resolvers). */
export function sessionOf<S>(ctx: GraphQLContext, source: string, type: abstract new (...args: never[]) => S): S {
  const session = ctx.op.session(source);
  if (!(session instanceof type)) throw new Error(`source "${source}" is not of the provider this type belongs to`);
  return session;
}
