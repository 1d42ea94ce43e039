/** The per-request GraphQL context: the request's data loaders and the partial failures seen. */
import type { GraphQLError } from 'graphql';
import { RequestData } from '../loaders/request-data.js';
import type { Sources } from '../sources.js';

export interface GraphQLContext {
  sources: Sources;
  /** Upstream access for this request only (loaders are never shared between requests). */
  data: RequestData;
  /** Failures of one source or instance inside a list that still returned the others. */
  partialErrors: GraphQLError[];
}

export function createContext(sources: Sources): GraphQLContext {
  return { sources, data: new RequestData(sources), partialErrors: [] };
}
