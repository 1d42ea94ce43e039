/**
 * The OceanBase provider module: obshell agents, one per cluster. Its home holds everything about
 * the upstream (client and hybrid-encryption auth, wire schemas, IDs, status map, mapping, the
 * session's loaders, the resolvers of its types; SDL in schema/providers/oceanbase.graphql).
 */
import type { ProviderModule } from '../../core/provider.js';
import { obSourceConfig, type ObSourceConfig } from './config.js';
import { OB_ID_LAYOUTS } from './ids.js';
import { ObSource } from './session.js';

export const oceanbaseModule: ProviderModule<ObSourceConfig> = {
  name: 'oceanbase',
  kinds: ['OCEANBASE'],
  configSchema: obSourceConfig,
  typeDefs: ['providers/oceanbase.graphql'],
  ids: OB_ID_LAYOUTS,
  filterableIdTypes: ['ObCluster', 'ObTenant'],
  createSource: (config, env) => new ObSource(config, env),
};
