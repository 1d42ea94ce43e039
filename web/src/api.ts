/**
 * The one way the dashboard talks to backupql: its public GraphQL endpoint on the same origin
 * (`/graphql`), POSTs of `application/json` (which the gateway's CSRF prevention lets through).
 * An answer with data keeps its errors (one source down never hides the others); no data at all,
 * an HTTP failure or no answer is `ApiUnavailable`. Every request carries the API key when there is
 * one (auth.ts); an answer of 401 `UNAUTHENTICATED` is `Unauthenticated`, and brings the sign-in form.
 */
import { ClientError, GraphQLClient } from 'graphql-request';
import { currentKey, unauthenticated } from './auth';
import type { TypedDocumentString } from './gql/graphql';

/** A GraphQL error as backupql reports it (contract §6). */
export interface ApiError {
  message: string;
  path?: readonly (string | number)[];
  extensions?: {
    code?: string;
    /** The configured source that failed, on upstream errors. */
    source?: string;
    provider?: string;
    httpStatus?: number;
    [key: string]: unknown;
  };
}

export interface Answer<T> {
  data: T;
  errors: ApiError[];
}

/** The API gave no data: it is down, unreachable, or refused the operation as a whole. */
export class ApiUnavailable extends Error {
  override name = 'ApiUnavailable';
  /** The GraphQL errors of a refusal (their codes); empty when no answer came. */
  readonly errors: readonly ApiError[];

  constructor(message: string, errors: readonly ApiError[] = []) {
    super(message);
    this.errors = errors;
  }
}

/** The API wants a credential: none was sent, or the one sent was refused (the sign-in form shows). */
export class Unauthenticated extends ApiUnavailable {
  override name = 'Unauthenticated';
}

const TIMEOUT_MS = 30_000;

export const ENDPOINT = new URL('graphql', document.baseURI).href;

/** The headers every request carries: JSON (which CSRF prevention lets through) and the key, when there is one. */
export function requestHeaders(key: string | null): Record<string, string> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (key !== null) headers.authorization = `Bearer ${key}`;
  return headers;
}

export async function ask<T, V extends Record<string, unknown>>(operation: TypedDocumentString<T, V>, variables: V, signal?: AbortSignal): Promise<Answer<T>> {
  const timeout = AbortSignal.timeout(TIMEOUT_MS);
  const combined = signal ? AbortSignal.any([signal, timeout]) : timeout;
  const key = currentKey();
  const headers = requestHeaders(key);
  let answer: { data: T | undefined; errors?: ApiError[] | undefined };
  try {
    // A client per request: its fetch options carry the request's own signal.
    const client = new GraphQLClient(ENDPOINT, { errorPolicy: 'all', headers, signal: combined });
    answer = await client.rawRequest<T, V>(String(operation), variables);
  } catch (error) {
    if (signal?.aborted) throw error;
    if (error instanceof ClientError) {
      const errors = (error.response.errors as ApiError[] | undefined) ?? [];
      const first = errors[0];
      if (error.response.status === 401 || first?.extensions?.code === 'UNAUTHENTICATED') {
        unauthenticated(key);
        throw new Unauthenticated(first ? first.message : `HTTP ${error.response.status}`);
      }
      throw new ApiUnavailable(first ? first.message : `HTTP ${error.response.status}`, errors);
    }
    if (timeout.aborted) throw new ApiUnavailable(`no answer within ${TIMEOUT_MS / 1000} s`);
    throw new ApiUnavailable(error instanceof Error ? error.message : String(error));
  }
  const errors = answer.errors ?? [];
  if (answer.data === undefined || answer.data === null) throw new ApiUnavailable(errors[0]?.message ?? 'the API answered without data', errors);
  return { data: answer.data, errors };
}
