/**
 * The operations endpoints and the operation metrics, as yoga plugins (`/health`, liveness, is
 * yoga's own: 200 while the process answers): `/readiness` (readiness.ts), `/metrics` (Prometheus text),
 * and every GraphQL operation counted by name and outcome with its duration.
 */
import { Kind, type DocumentNode, type ExecutionResult } from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import type { GraphQLContext } from '../graphql/context.js';
import type { Metrics } from './metrics.js';
import type { Readiness } from './readiness.js';

export function useOpsEndpoints(options: { metrics: Metrics | null; readiness: Readiness }): Plugin {
  return {
    async onRequest(payload) {
      const { url, request, fetchAPI } = payload;
      const endResponse = (response: Response) => payload.endResponse(response);
      if (request.method !== 'GET' && request.method !== 'HEAD') return;
      const json = (status: number, body: unknown) =>
        new fetchAPI.Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json', 'cache-control': 'no-store' } });
      // `/health` (liveness) is yoga's own health check: 200, empty, before any plugin of ours; no upstream call.
      if (url.pathname === '/readiness') {
        const report = await options.readiness.report();
        endResponse(json(report.status === 'unavailable' ? 503 : 200, report));
      } else if (url.pathname === '/metrics' && options.metrics) {
        const text = await options.metrics.registry.metrics();
        endResponse(
          new fetchAPI.Response(text, { status: 200, headers: { 'content-type': options.metrics.registry.contentType, 'cache-control': 'no-store' } }),
        );
      }
    },
  };
}

function operationName(document: DocumentNode | undefined, given: string | null | undefined): string | undefined {
  if (given) return given;
  for (const def of document?.definitions ?? []) if (def.kind === Kind.OPERATION_DEFINITION) return def.name?.value;
  return undefined;
}

/** The first operation's name in a document's text, without parsing it (for answers served from the response cache). */
function nameInText(query: string | undefined): string | undefined {
  return query ? /(?:^|[\s{}])(?:query|mutation|subscription)\s+([_A-Za-z][_0-9A-Za-z]*)/.exec(query)?.[1] : undefined;
}

export function useOperationMetrics(metrics: Metrics): Plugin<GraphQLContext> {
  const asked = new WeakMap<Request, { query?: string | undefined; operationName?: string | null | undefined }>();
  return {
    onParams({ params, request }) {
      asked.set(request, params);
    },
    // An answer from the response cache (graphql/response-cache.ts) is a success of its operation that ran nothing.
    onResultProcess({ request, result }) {
      const cached = (r: unknown) => Boolean((r as Record<symbol, unknown> | null)?.[Symbol.for('servedFromResponseCache')]);
      if (Array.isArray(result)) {
        // A batch: its operations' names are not kept apart.
        for (const r of result) if (cached(r)) metrics.operation(undefined, 'success');
        return;
      }
      if (!cached(result)) return;
      const params = asked.get(request);
      metrics.operation(params?.operationName || nameInText(params?.query), 'success');
    },
    onParse() {
      return ({ result }) => {
        if (result instanceof Error) metrics.operation(undefined, 'invalid');
      };
    },
    onValidate({ params }) {
      return ({ valid }) => {
        if (!valid) metrics.operation(operationName(params.documentAST as DocumentNode, undefined), 'invalid');
      };
    },
    onExecute({ args }) {
      const started = performance.now();
      return {
        onExecuteDone({ result }) {
          if (Symbol.asyncIterator in (result as object)) return;
          const single = result as ExecutionResult;
          const partial = (args.contextValue as GraphQLContext).partialErrors.length > 0;
          const failed = (single.errors?.length ?? 0) > 0 || partial;
          const outcome = !failed ? 'success' : single.data ? 'partial' : 'error';
          const { document, operationName: given } = args as { document: DocumentNode; operationName?: string | null };
          const context = args.contextValue as GraphQLContext;
          metrics.operation(operationName(document, given), outcome, (performance.now() - started) / 1000, context.op.budget.spent);
        },
      };
    },
  };
}

/**
 * The operation's request ID (the client's valid `X-Request-Id`, else one of its own) in the
 * response: `extensions.requestId` and the `X-Request-Id` header. It is in the operation's log
 * lines and, for obshell, in each call's `X-OBSHELL-Trace-ID`, so one ID follows a request
 * through the agent's log too. Huawei's APIs take none from clients (they return their own
 * `X-Request-Id`, kept in each error as `requestId`).
 */
export function useRequestId(requestIds: WeakMap<Request, string>): Plugin<GraphQLContext> {
  return {
    onExecute({ args }) {
      const requestId = (args.contextValue as GraphQLContext).op.requestId;
      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            setResult({ ...result, extensions: { ...result.extensions, requestId } });
          });
        },
      };
    },
    onResponse({ request, response }) {
      const requestId = requestIds.get(request);
      if (requestId) response.headers.set('x-request-id', requestId);
    },
  };
}
