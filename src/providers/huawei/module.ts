/**
 * The Huawei Cloud provider module: one project in one region per source, with its DCS (Redis,
 * Memcached) and RDS (MySQL, PostgreSQL, SQL Server, MariaDB) instances. Its home holds
 * everything about the two services (clients, the AK/SK signer and token auth, error shapes, wire
 * schemas, IDs, status maps, mapping, the session's loaders, the resolvers of its types; SDL in
 * schema/providers/{huawei,dcs,rds}.graphql).
 */
import type { ProviderModule } from '../../core/provider.js';
import { huaweiSourceConfig, type HuaweiSourceConfig } from './config.js';
import { HUAWEI_ID_LAYOUTS } from './ids.js';
import { HuaweiSource } from './session.js';

export const huaweiModule: ProviderModule<HuaweiSourceConfig> = {
  name: 'huaweicloud',
  kinds: ['DCS', 'RDS'],
  configSchema: huaweiSourceConfig,
  typeDefs: ['providers/huawei.graphql', 'providers/dcs.graphql', 'providers/rds.graphql'],
  ids: HUAWEI_ID_LAYOUTS,
  filterableIdTypes: ['DcsInstance', 'RdsInstance'],
  createSource: (config, env) => new HuaweiSource(config, env),
};
