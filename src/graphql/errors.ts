/**
 * Turning the domain's errors into GraphQL errors with `extensions.code` (contract §6), and
 * reporting failures of one source next to the data of the others.
 */
import { GraphQLError, type GraphQLErrorExtensions, type GraphQLResolveInfo } from 'graphql';
import { handleStreamOrSingleExecutionResult, maskError as yogaMaskError, type Plugin } from 'graphql-yoga';
import { BadInputError, BudgetExceededError, CodedError, UpstreamError, upstreamExtensions } from '../core/errors.js';
import { log } from '../lib/log.js';
import type { GraphQLContext } from './context.js';

/** The GraphQL error a domain error becomes, or `undefined` for errors that must stay masked. */
export function known(error: unknown): { message: string; extensions: GraphQLErrorExtensions } | undefined {
  if (error instanceof UpstreamError) return { message: error.message, extensions: upstreamExtensions(error) };
  if (error instanceof BudgetExceededError) {
    return { message: error.message, extensions: { code: 'BUDGET_EXCEEDED', budget: error.budget, estimate: error.estimate } };
  }
  if (error instanceof BadInputError) {
    const extensions: Record<string, unknown> = { code: 'BAD_USER_INPUT' };
    if (error.argumentName) extensions.argumentName = error.argumentName;
    return { message: error.message, extensions };
  }
  if (error instanceof CodedError) return { message: error.message, extensions: { ...error.extensions, code: error.code } };
  return undefined;
}

/**
 * Yoga's `maskError`: domain errors thrown in resolvers keep their message and get their
 * extensions; anything unexpected is masked as Yoga does by default ("Unexpected error.").
 */
export function maskError(error: unknown, message: string, isDev?: boolean): Error {
  if (error instanceof GraphQLError) {
    const mapped = known(error.originalError);
    if (mapped) {
      return new GraphQLError(mapped.message, {
        nodes: error.nodes,
        source: error.source,
        positions: error.positions,
        path: error.path,
        extensions: mapped.extensions,
      });
    }
  }
  return yogaMaskError(error, message, isDev);
}

/**
 * Records that part of a list could not be read (a source or an instance), while the field
 * still returns what the rest gave. The error is added to the response's `errors` with the
 * field's path.
 */
export function reportPartialFailure(ctx: GraphQLContext, info: GraphQLResolveInfo, error: unknown): void {
  logError(error, ctx.op.requestId);
  const mapped = known(error) ?? { message: 'Unexpected error.', extensions: { code: 'INTERNAL_SERVER_ERROR' } };
  ctx.partialErrors.push(
    new GraphQLError(mapped.message, {
      nodes: info.fieldNodes,
      path: pathOf(info),
      extensions: mapped.extensions,
    }),
  );
}

function pathOf(info: GraphQLResolveInfo): (string | number)[] {
  const path: (string | number)[] = [];
  for (let p: GraphQLResolveInfo['path'] | undefined = info.path; p; p = p.prev) path.unshift(p.key);
  return path;
}

/**
 * The errors of every result: the partial failures recorded during execution are appended (with
 * their paths), and an error that reaches the client without a code gets one: those are graphql-js'
 * refusals of the request itself (variables that do not coerce, an unknown operation name), the
 * caller's mistakes.
 */
export function usePartialErrors(): Plugin<GraphQLContext> {
  return {
    onExecute({ args }) {
      return {
        onExecuteDone(payload) {
          return handleStreamOrSingleExecutionResult(payload, ({ result, setResult }) => {
            const partial = (args.contextValue as GraphQLContext).partialErrors;
            const errors = [...((result.errors ?? []) as readonly GraphQLError[]), ...partial];
            if (errors.length === 0) return;
            setResult({ ...result, errors: errors.map(withCode) });
          });
        },
      };
    },
  };
}

function withCode(error: GraphQLError): GraphQLError {
  if (error.extensions?.['code'] !== undefined) return error;
  return new GraphQLError(error.message, {
    nodes: error.nodes,
    source: error.source,
    positions: error.positions,
    path: error.path,
    originalError: error.originalError,
    extensions: { ...error.extensions, code: 'BAD_USER_INPUT' },
  });
}

/**
 * Logs a failure at the level it deserves: the caller's mistakes at debug, upstream failures at
 * warn with what identifies the call, anything else (our bugs) at error with its stack.
 */
export function logError(error: unknown, operationRequestId?: string): void {
  const original = error instanceof GraphQLError && error.originalError ? error.originalError : error;
  const op = operationRequestId === undefined ? {} : { requestId: operationRequestId };
  if (original instanceof BadInputError) {
    log.debug({ ...op, argumentName: original.argumentName }, original.message);
  } else if (original instanceof UpstreamError) {
    const { code, source, provider, operation, httpStatus, upstreamCode, requestId, traceId } = original;
    log.warn({ ...op, upstream: { code, source, provider, operation, httpStatus, upstreamCode, requestId, traceId } }, original.message);
  } else if (original instanceof GraphQLError) {
    log.debug({ code: original.extensions.code }, original.message);
  } else {
    log.error({ err: original }, original instanceof Error ? original.message : 'unexpected failure');
  }
}

/** Yoga's logger, on pino; errors Yoga reports go through `logError`. */
export const yogaLogger = {
  debug: (...args: unknown[]) => log.debug(args.map(String).join(' ')),
  info: (...args: unknown[]) => log.info(args.map(String).join(' ')),
  warn: (...args: unknown[]) => log.warn(args.map(String).join(' ')),
  error: (...args: unknown[]) => {
    for (const arg of args) logError(arg);
  },
};
