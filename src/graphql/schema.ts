/** The executable schema: the SDL files under `schema/` (the source of truth) and the resolvers. */
import { readdirSync, readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import type { GraphQLContext } from './context.js';
import { resolvers } from './resolvers/index.js';

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

export function loadTypeDefs(): string[] {
  return readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort()
    .map((file) => readFileSync(new URL(file, SCHEMA_DIR), 'utf8'));
}

export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema<GraphQLContext>({ typeDefs: loadTypeDefs(), resolvers });
}
