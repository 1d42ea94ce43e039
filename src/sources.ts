/**
 * The configured sources at run time: for each, its pooled HTTP transport (which caps the
 * source's concurrent upstream calls) and its typed clients.
 */
import { dcsEndpoint, rdsEndpoint, type Config, type HuaweiSourceConfig, type OceanBaseSourceConfig } from './config.js';
import { systemClock, type Clock } from './lib/clock.js';
import { HttpTransport } from './lib/http.js';
import { AkSkAuth, TokenAuth, type HuaweiAuth } from './providers/huawei/auth.js';
import { DcsClient } from './providers/huawei/dcs-client.js';
import { RdsClient } from './providers/huawei/rds-client.js';
import { ObshellClient } from './providers/oceanbase/client.js';

export interface ObshellSource {
  provider: 'oceanbase';
  name: string;
  client: ObshellClient;
  transport: HttpTransport;
}

export interface HuaweiSource {
  provider: 'huaweicloud';
  name: string;
  projectId: string;
  region: string;
  dcs: DcsClient;
  rds: RdsClient;
  transport: HttpTransport;
}

export type Source = ObshellSource | HuaweiSource;

export class Sources {
  private readonly byName = new Map<string, Source>();

  constructor(readonly list: readonly Source[]) {
    for (const source of list) this.byName.set(source.name, source);
  }

  static fromConfig(config: Config, clock: Clock = systemClock): Sources {
    return new Sources(config.sources.map((s) => (s.provider === 'oceanbase' ? obshellSource(s, clock) : huaweiSource(s, clock))));
  }

  get(name: string): Source | undefined {
    return this.byName.get(name);
  }

  oceanbase(name: string): ObshellSource | undefined {
    const source = this.byName.get(name);
    return source?.provider === 'oceanbase' ? source : undefined;
  }

  huawei(name: string): HuaweiSource | undefined {
    const source = this.byName.get(name);
    return source?.provider === 'huaweicloud' ? source : undefined;
  }

  async close(): Promise<void> {
    await Promise.all(this.list.map((s) => s.transport.close()));
  }
}

function transportFor(source: { timeoutMs: number; maxConcurrency: number }): HttpTransport {
  return new HttpTransport({ timeoutMs: source.timeoutMs, maxConcurrency: source.maxConcurrency });
}

function obshellSource(config: OceanBaseSourceConfig, clock: Clock): ObshellSource {
  const transport = transportFor(config);
  const client = new ObshellClient({
    source: config.name,
    url: config.url,
    transport,
    clock,
    ...(config.password === undefined ? {} : { password: config.password }),
  });
  return { provider: 'oceanbase', name: config.name, client, transport };
}

function huaweiSource(config: HuaweiSourceConfig, clock: Clock): HuaweiSource {
  const transport = transportFor(config);
  const credentials = config.credentials;
  const auth: HuaweiAuth =
    'token' in credentials
      ? new TokenAuth({ token: credentials.token })
      : new AkSkAuth({
          accessKey: credentials.accessKey,
          secretKey: credentials.secretKey,
          projectId: config.projectId,
          clock,
          ...(credentials.securityToken ? { securityToken: credentials.securityToken } : {}),
        });
  const common = { source: config.name, projectId: config.projectId, auth, transport, clock };
  return {
    provider: 'huaweicloud',
    name: config.name,
    projectId: config.projectId,
    region: config.region,
    dcs: new DcsClient({ ...common, endpoint: dcsEndpoint(config) }),
    rds: new RdsClient({ ...common, endpoint: rdsEndpoint(config) }),
    transport,
  };
}
