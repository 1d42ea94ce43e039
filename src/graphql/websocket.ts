/**
 * GraphQL over WebSocket (the graphql-ws protocol, `graphql-transport-ws`) on the same `/graphql`
 * path as HTTP, beside yoga's Server-Sent Events: the same schema and envelop plugins (limits, cost,
 * roles, persisted operations, error masking) through `yoga.getEnveloped`, graphql-ws's own recipe.
 *
 * The credential comes once per connection: `connectionParams.authorization` (browsers cannot set
 * headers on a WebSocket), else the upgrade request's `Authorization` header. A connection without a
 * valid one (when authentication is on) is closed with 4403 before any operation runs. With CORS
 * origins configured, an upgrade from another origin is refused.
 */
import type { Server } from 'node:http';
import { GraphQLError, type DocumentNode, type ExecutionArgs, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import type { YogaServerInstance } from 'graphql-yoga';
import { WebSocketServer } from 'ws';
import { AuthFailure, type Authenticator, type Principal } from './auth.js';
import type { GraphQLContext } from './context.js';

/** The envelop functions `yoga.getEnveloped` returns, as this file uses them. */
interface Enveloped {
  schema: GraphQLSchema;
  execute: (args: ExecutionArgs) => unknown;
  subscribe: (args: ExecutionArgs) => unknown;
  contextFactory: () => Promise<GraphQLContext> | GraphQLContext;
  parse: (source: string) => DocumentNode;
  validate: (schema: GraphQLSchema, document: DocumentNode) => readonly GraphQLError[];
}

/** What the yoga context function reads for a WebSocket operation (there is no fetch `Request`). */
export interface WebSocketInitialContext {
  websocket: { principal: Principal; address: string | undefined };
}

export function serveWebSocket(
  server: Server,
  yoga: YogaServerInstance<Record<string, never>, GraphQLContext>,
  authenticator: Authenticator,
  allowedOrigins: readonly string[] | null,
): { close(): Promise<void> } {
  const wss = new WebSocketServer({
    server,
    path: yoga.graphqlEndpoint,
    verifyClient: ({ origin }: { origin: string | undefined }) => !allowedOrigins || !origin || allowedOrigins.includes(origin),
  });
  const principals = new WeakMap<object, Principal>();
  const disposable = useServer<Record<string, unknown> | undefined>(
    {
      execute: (args) => (args.rootValue as Enveloped).execute(args) as never,
      subscribe: (args) => (args.rootValue as Enveloped).subscribe(args) as never,
      onConnect: async (ctx) => {
        const given = ctx.connectionParams?.['authorization'];
        const header = typeof given === 'string' ? given : ctx.extra.request.headers.authorization;
        try {
          const request = new Request('http://websocket/graphql', header ? { headers: { authorization: header } } : {});
          principals.set(ctx, await authenticator.authenticate(request));
          return true;
        } catch (error) {
          if (error instanceof AuthFailure) return false;
          throw error;
        }
      },
      onSubscribe: async (ctx, _id, params) => {
        const principal = principals.get(ctx);
        if (!principal) return [new GraphQLError('Not authenticated.', { extensions: { code: 'UNAUTHENTICATED' } })];
        const initial: WebSocketInitialContext = { websocket: { principal, address: ctx.extra.request.socket.remoteAddress } };
        const { schema, execute, subscribe, contextFactory, parse, validate } = yoga.getEnveloped({ ...initial, params }) as unknown as Enveloped;
        const document = parse(params.query);
        const errors = validate(schema, document);
        if (errors.length > 0) return errors;
        return {
          schema,
          operationName: params.operationName ?? null,
          document,
          variableValues: params.variables ?? null,
          contextValue: await contextFactory(),
          rootValue: { execute, subscribe },
        };
      },
    },
    wss,
  );
  return {
    async close() {
      await disposable.dispose();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
