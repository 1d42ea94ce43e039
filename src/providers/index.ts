/**
 * The registry of provider modules: the one place that lists them. Everything else reaches a
 * provider through what this file composes (config schema, SDL, ID layouts, resolvers, sources).
 * A new upstream is a new folder here, its SDL under schema/providers/, one entry below and its
 * types' mappers in codegen.yml.
 */
import { z } from 'zod';
import { IdCodec } from '../core/ids.js';
import type { ProviderModule, SourceConfigBase, SourceEnv, SourceRuntime } from '../core/provider.js';
import type { Resolvers } from '../generated/resolvers-types.js';
import type { Speculative } from '../graphql/lookahead.js';
import { huaweiSourceConfig } from './huawei/config.js';
import { huaweiModule } from './huawei/module.js';
import { huaweiResolvers, huaweiSpeculative } from './huawei/resolvers.js';
import { obSourceConfig } from './oceanbase/config.js';
import { oceanbaseModule } from './oceanbase/module.js';
import { oceanbaseResolvers, oceanbaseSpeculative } from './oceanbase/resolvers.js';

const PROVIDERS: readonly { module: ProviderModule<never>; resolvers: Resolvers; speculative: Record<string, Speculative> }[] = [
  { module: oceanbaseModule as ProviderModule<never>, resolvers: oceanbaseResolvers, speculative: oceanbaseSpeculative },
  { module: huaweiModule as ProviderModule<never>, resolvers: huaweiResolvers, speculative: huaweiSpeculative },
];

/** One source in the configuration file, whichever its provider (`provider:` picks the schema). */
export const sourceConfigSchema = z.discriminatedUnion('provider', [obSourceConfig, huaweiSourceConfig], {
  error: `provider must be ${PROVIDERS.map((p) => `"${p.module.name}"`)
    .join(', ')
    .replace(/, ([^,]*)$/, ' or $1')}`,
});

export type SourceConfig = z.infer<typeof sourceConfigSchema>;

const byName = new Map(PROVIDERS.map((p) => [p.module.name, p.module]));

/** The run-time source of each configured one, by its module. */
export function createSources(configs: readonly SourceConfig[], env: SourceEnv): SourceRuntime[] {
  return configs.map((config) => {
    const module = byName.get(config.provider);
    if (!module) throw new Error(`no provider module named ${config.provider}`);
    return module.createSource(config as SourceConfigBase as never, env);
  });
}

/** The global ID codec over every module's layouts. */
export function createIdCodec(): IdCodec {
  return new IdCodec(PROVIDERS.flatMap((p) => p.module.ids));
}

/** Node types an `instanceIds` filter may name. */
export const FILTERABLE_ID_TYPES: readonly string[] = PROVIDERS.flatMap((p) => p.module.filterableIdTypes);

/** Every module's SDL files (relative to `schema/`). */
export const PROVIDER_TYPE_DEFS: readonly string[] = PROVIDERS.flatMap((p) => p.module.typeDefs);

/** Every module's resolvers. */
export const PROVIDER_RESOLVERS: readonly Resolvers[] = PROVIDERS.map((p) => p.resolvers);

const SPECULATIVE = new Map(PROVIDERS.flatMap((p) => Object.entries(p.speculative)));

/** What a node type's module computes from its ID alone (src/graphql/lookahead.ts). */
export function speculativeFor(type: string): Speculative | undefined {
  return SPECULATIVE.get(type);
}
