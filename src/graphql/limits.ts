/**
 * What a client may ask in one request, checked before any upstream call: depth, aliases, tokens
 * and directives (graphql-armor), the cost of the operation (the product of the page sizes along
 * each path, the way GitHub counts nodes), the size of the body and the operations in a batch.
 * Every refusal is a `QUERY_TOO_COMPLEX` error carrying the limit and the measured value; the
 * cost of an accepted operation is in the response's `extensions.cost`.
 */
import { EnvelopArmorPlugin } from '@escape.tech/graphql-armor';
import {
  getArgumentValues,
  getNamedType,
  GraphQLError,
  isCompositeType,
  isObjectType,
  isInterfaceType,
  Kind,
  Lexer,
  Source,
  TokenKind,
  OperationTypeNode,
  type DocumentNode,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValidationContext,
} from 'graphql';
import { handleStreamOrSingleExecutionResult, type Plugin } from 'graphql-yoga';
import { DEFAULT_PAGE_SIZE } from '../pagination/args.js';

export interface Limits {
  maxDepth: number;
  maxAliases: number;
  maxTokens: number;
  maxDirectives: number;
  /** Items the connections of one operation may return, multiplied along each path. */
  maxCost: number;
  /** Largest request body, bytes. */
  maxBodyBytes: number;
  /** Most operations in one batched request. */
  maxBatch: number;
}

/** Contract §4: operations nested deeper than 15 levels are refused. */
export const DEFAULT_LIMITS: Limits = {
  maxDepth: 15,
  maxAliases: 50,
  maxTokens: 5000,
  maxDirectives: 50,
  maxCost: 10_000,
  maxBodyBytes: 1_048_576,
  maxBatch: 10,
};

/** The `extensions` of a refused request. */
export function tooComplex(limitKind: string, limit: number, measured: number | null): Record<string, unknown> {
  return { code: 'QUERY_TOO_COMPLEX', limitKind, limit, measured };
}

/** Tokens in a document, as the parser counts them (the token limit's error does not say). */
function countTokens(text: string): number | null {
  try {
    const lexer = new Lexer(new Source(text));
    let n = 0;
    while (lexer.advance().kind !== TokenKind.EOF) n++;
    return n;
  } catch {
    return null;
  }
}

/** graphql-armor with our limits; each rejection gets its code, the limit and the measured value. */
export function useArmor(limits: Limits): Plugin {
  // The token limit is enforced while parsing (synchronously), with no validation context: the
  // text being parsed is kept here for that moment, to count what was found.
  let parsing = '';
  const rejected = (limitKind: string, limit: number) => [
    (ctx: ValidationContext | null, error: GraphQLError) => {
      const found = /found (\d+)/.exec(error.message);
      const source = ctx?.getDocument().loc?.source.body ?? parsing;
      const measured = found ? Number(found[1]) : limitKind === 'tokens' && source ? countTokens(source) : null;
      error.message = error.message.replace(/^Syntax Error: /, '');
      Object.assign(error.extensions as Record<string, unknown>, tooComplex(limitKind, limit, measured));
    },
  ];
  const armor = EnvelopArmorPlugin({
    maxDepth: { n: limits.maxDepth, ignoreIntrospection: true, flattenFragments: true, onReject: rejected('depth', limits.maxDepth) },
    maxAliases: { n: limits.maxAliases, onReject: rejected('aliases', limits.maxAliases) },
    maxTokens: { n: limits.maxTokens, onReject: rejected('tokens', limits.maxTokens) },
    maxDirectives: { n: limits.maxDirectives, onReject: rejected('directives', limits.maxDirectives) },
    // Armor's static cost ignores first/last; `useQueryCost` counts them.
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
  }) as Plugin;
  return {
    onPluginInit({ addPlugin }) {
      addPlugin({
        onParse({ params }) {
          const source = params.source as string | { body: string };
          parsing = typeof source === 'string' ? source : source.body;
        },
      });
      addPlugin(armor);
    },
  };
}

/**
 * The cost of an operation: for every connection (a field returning `…Connection`) the items it
 * may return (`first`/`last`, else the default page of 20) times the items of every connection
 * above it, summed; `nodes(ids:)` counts its IDs. The members of a union are all counted (an
 * upper bound). Introspection costs nothing.
 */
export function operationCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): number {
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const def of document.definitions) if (def.kind === Kind.FRAGMENT_DEFINITION) fragments.set(def.name.value, def);
  const operation = document.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION && (!operationName || d.name?.value === operationName));
  if (!operation || operation.kind !== Kind.OPERATION_DEFINITION) return 0;
  const root =
    operation.operation === OperationTypeNode.QUERY
      ? schema.getQueryType()
      : operation.operation === OperationTypeNode.MUTATION
        ? schema.getMutationType()
        : schema.getSubscriptionType();
  if (!root) return 0;

  const walk = (parent: GraphQLCompositeType, selections: SelectionSetNode, multiplier: number, seen: ReadonlySet<string>): number => {
    let cost = 0;
    for (const selection of selections.selections) {
      if (selection.kind === Kind.INLINE_FRAGMENT) {
        const type = selection.typeCondition ? schema.getType(selection.typeCondition.name.value) : parent;
        if (type && isCompositeType(type)) cost += walk(type, selection.selectionSet, multiplier, seen);
        continue;
      }
      if (selection.kind === Kind.FRAGMENT_SPREAD) {
        const fragment = fragments.get(selection.name.value);
        if (!fragment || seen.has(fragment.name.value)) continue;
        const type = schema.getType(fragment.typeCondition.name.value);
        if (type && isCompositeType(type)) cost += walk(type, fragment.selectionSet, multiplier, new Set([...seen, fragment.name.value]));
        continue;
      }
      if (!selection.selectionSet || selection.name.value.startsWith('__')) continue;
      const def = isObjectType(parent) || isInterfaceType(parent) ? parent.getFields()[selection.name.value] : undefined;
      if (!def) continue;
      const type = getNamedType(def.type);
      if (!isCompositeType(type)) continue;
      let size = 1;
      let args: Record<string, unknown> = {};
      try {
        args = getArgumentValues(def, selection, variables);
      } catch {
        // Arguments that do not coerce are refused by execution; count the default.
      }
      if (type.name.endsWith('Connection')) size = numberOr(args['first'], numberOr(args['last'], DEFAULT_PAGE_SIZE));
      else if (Array.isArray(args['ids'])) size = args['ids'].length;
      const items = multiplier * size;
      if (size !== 1 || type.name.endsWith('Connection')) cost += items;
      cost += walk(type, selection.selectionSet, items, seen);
    }
    return cost;
  };
  return walk(root, operation.selectionSet, 1, new Set());
}

function numberOr(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The answer to a request whose body is too large (413) or does not say its length (411); undefined: fine. */
export function bodyRefusal(
  method: string | undefined,
  contentLength: string | undefined | null,
  transferEncoding: string | undefined | null,
  limits: Limits,
): { status: number; error: { message: string; extensions: Record<string, unknown> } } | undefined {
  if (method !== 'POST') return undefined;
  if (contentLength === undefined || contentLength === null || contentLength === '') {
    if (!transferEncoding) return undefined;
    return { status: 411, error: { message: 'A request body must state its length (Content-Length).', extensions: { code: 'BAD_REQUEST' } } };
  }
  const length = Number(contentLength);
  if (!Number.isSafeInteger(length) || length < 0)
    return { status: 400, error: { message: 'Content-Length is not a length.', extensions: { code: 'BAD_REQUEST' } } };
  if (length <= limits.maxBodyBytes) return undefined;
  return {
    status: 413,
    error: {
      message: `The request body has ${length} bytes; the limit is ${limits.maxBodyBytes}.`,
      extensions: tooComplex('bodyBytes', limits.maxBodyBytes, length),
    },
  };
}

/** The body limit for every way in (the HTTP server checks it too, before reading a byte). */
export function useBodyLimit(limits: Limits): Plugin {
  return {
    onRequest(payload) {
      const { request, fetchAPI } = payload;
      const refusal = bodyRefusal(request.method, request.headers.get('content-length'), null, limits);
      if (refusal)
        payload.endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [refusal.error] }), { status: refusal.status, headers: { 'content-type': 'application/json' } }),
        );
    },
  };
}

/**
 * What the HTTP layer refuses (a body that is not JSON, a batch too large, a media type it does not
 * take) is answered like everything else: JSON errors with a code (`QUERY_TOO_COMPLEX` with the
 * limit and the measured size for a batch), never an empty body, never the parser's own message.
 */
export function useRequestErrors(limits: Limits): Plugin {
  const batchSizes = new WeakMap<Request, number>();
  return {
    onRequestParse({ request }) {
      return {
        onRequestParseDone({ requestParserResult }) {
          if (Array.isArray(requestParserResult)) batchSizes.set(request, requestParserResult.length);
        },
      };
    },
    async onResponse(payload) {
      const { request, response, fetchAPI } = payload;
      if (response.status < 400) return;
      // A page (the dashboard's, src/graphql/dashboard.ts), not an answer of the API: left as it is.
      if (response.headers.get('content-type')?.startsWith('text/html')) return;
      const text = await response.clone().text();
      let body: { errors?: { message?: string; extensions?: Record<string, unknown> }[] } | undefined;
      try {
        body = text ? (JSON.parse(text) as typeof body) : undefined;
      } catch {
        body = undefined;
      }
      const errors = body?.errors ?? [
        { message: response.status === 415 ? 'Send the request as application/json (or application/graphql+json).' : `HTTP ${response.status}` },
      ];
      const fixed = errors.map((error) => {
        const extensions: Record<string, unknown> = { ...error.extensions };
        delete extensions['originalError'];
        delete extensions['stack'];
        if (/^Batching is limited/.test(error.message ?? '')) Object.assign(extensions, tooComplex('batch', limits.maxBatch, batchSizes.get(request) ?? null));
        extensions['code'] ??= response.status === 401 ? 'UNAUTHENTICATED' : response.status === 403 ? 'FORBIDDEN' : 'BAD_REQUEST';
        return { ...error, extensions };
      });
      const headers = new fetchAPI.Headers(response.headers);
      headers.set('content-type', 'application/json; charset=utf-8');
      headers.delete('content-length');
      payload.setResponse(new fetchAPI.Response(JSON.stringify({ ...body, errors: fixed }), { status: response.status, headers }));
    },
  };
}

/** Refuses an operation that costs more than the limit, before it runs; reports the cost of the others. */
export function useQueryCost(limits: Limits): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const { schema, document, operationName, variableValues } = args as ExecutionArgs;
      const cost = operationCost(schema, document, operationName, variableValues ?? {});
      if (cost > limits.maxCost) {
        setResultAndStopExecution({
          errors: [
            new GraphQLError(
              `Query cost limit of ${limits.maxCost} exceeded, found ${cost} (the items its connections may return, multiplied along each path).`,
              {
                extensions: tooComplex('cost', limits.maxCost, cost),
              },
            ),
          ],
        });
        return;
      }
      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            setResult({ ...result, extensions: { ...result.extensions, cost: { requested: cost, limit: limits.maxCost } } });
          });
        },
      };
    },
  };
}
