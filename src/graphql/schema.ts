/** The executable schema: the SDL under `schema/` (the source of truth; each provider module's in schema/providers/) and the resolvers. */
import { readdirSync, readFileSync } from 'node:fs';
import { makeExecutableSchema } from '@graphql-tools/schema';
import type { GraphQLSchema } from 'graphql';
import { PROVIDER_TYPE_DEFS } from '../providers/index.js';
import type { GraphQLContext } from './context.js';
import { resolvers } from './resolvers/index.js';

const SCHEMA_DIR = new URL('../../schema/', import.meta.url);

/** The fleet-wide SDL (schema/*.graphql), then the provider modules'. */
function loadTypeDefs(): string[] {
  const core = readdirSync(SCHEMA_DIR)
    .filter((file) => file.endsWith('.graphql'))
    .sort();
  return [...core, ...PROVIDER_TYPE_DEFS].map((file) => readFileSync(new URL(file, SCHEMA_DIR), 'utf8'));
}

export function buildSchema(): GraphQLSchema {
  return makeExecutableSchema<GraphQLContext>({ typeDefs: loadTypeDefs(), resolvers });
}
