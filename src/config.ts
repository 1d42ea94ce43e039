/**
 * The configuration file (contract §3): YAML, `${VAR}` replaced from the environment, validated
 * with zod. A bad file is refused at start with messages naming each field at fault; secret
 * values never appear in those messages.
 */
import { readFile } from 'node:fs/promises';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';

const sourceName = z
  .string()
  .regex(/^[a-z0-9-]+$/, 'must be lower-case letters, digits and dashes ([a-z0-9-]+)')
  .max(63, 'must be at most 63 characters');

const httpUrl = z.string().refine((value) => {
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '' && url.search === '' && url.hash === '';
  } catch {
    return false;
  }
}, 'must be an http(s) URL without credentials, query or fragment');

/** Tuning every source accepts (extensions to the contract). */
const tuning = {
  /** Deadline of each upstream call, ms. */
  timeoutMs: z.number().int().min(100).max(300_000).default(10_000),
  /** Most upstream calls in flight at once to this source. */
  maxConcurrency: z.number().int().min(1).max(256).default(8),
};

const oceanbaseSource = z
  .object({
    name: sourceName,
    provider: z.literal('oceanbase'),
    url: httpUrl,
    password: z.string().optional(),
    ...tuning,
  })
  .strict();

const CREDENTIALS_RULE = 'must hold exactly one of: accessKey and secretKey (AK/SK signing, optionally securityToken), or token';

/** Exactly one way to authenticate: AK/SK (with an optional security token) or an IAM token. */
const credentials = z
  .object({
    accessKey: z.string().min(1).optional(),
    secretKey: z.string().min(1).optional(),
    securityToken: z.string().min(1).optional(),
    token: z.string().min(1).optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    const aksk = c.accessKey !== undefined || c.secretKey !== undefined || c.securityToken !== undefined;
    const complete = c.accessKey !== undefined && c.secretKey !== undefined;
    if (aksk === (c.token !== undefined) || (aksk && !complete)) ctx.addIssue({ code: 'custom', message: CREDENTIALS_RULE });
  })
  .transform((c): { token: string } | { accessKey: string; secretKey: string; securityToken?: string } =>
    c.token !== undefined
      ? { token: c.token }
      : { accessKey: c.accessKey!, secretKey: c.secretKey!, ...(c.securityToken === undefined ? {} : { securityToken: c.securityToken }) },
  );

const huaweiSource = z
  .object({
    name: sourceName,
    provider: z.literal('huaweicloud'),
    projectId: z.string().regex(/^[0-9a-f]{32}$/, 'must be a Huawei Cloud project ID (32 lower-case hex characters)'),
    region: z.string().regex(/^[a-z]{2}-[a-z]+-\d+$/, 'must be a region name such as cn-north-4'),
    dcsEndpoint: httpUrl.optional(),
    rdsEndpoint: httpUrl.optional(),
    credentials,
    ...tuning,
  })
  .strict();

const configSchema = z
  .object({
    server: z
      .object({
        port: z.number().int().min(0).max(65535).optional(),
        /** Serve GraphiQL at the endpoint for browsers. Default true. */
        graphiql: z.boolean().default(true),
      })
      .strict()
      .default({ graphiql: true }),
    sources: z
      .array(
        z.discriminatedUnion('provider', [oceanbaseSource, huaweiSource], {
          error: 'provider must be "oceanbase" or "huaweicloud"',
        }),
      )
      .min(1, 'must list at least one source'),
  })
  .strict()
  .superRefine((config, ctx) => {
    const seen = new Set<string>();
    config.sources.forEach((source, i) => {
      if (seen.has(source.name))
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'name'], message: `"${source.name}" is used by another source; names must be unique` });
      seen.add(source.name);
    });
  });

export type Config = z.infer<typeof configSchema>;
export type SourceConfig = Config['sources'][number];
export type OceanBaseSourceConfig = Extract<SourceConfig, { provider: 'oceanbase' }>;
export type HuaweiSourceConfig = Extract<SourceConfig, { provider: 'huaweicloud' }>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    readonly file: string,
    readonly problems: string[],
  ) {
    super(`Configuration ${file} is invalid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Reads, substitutes and validates a configuration file. */
export async function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<Config> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    throw new ConfigError(file, [`cannot be read (${(err as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  return parseConfig(text, file, env);
}

export function parseConfig(text: string, file = 'configuration', env: NodeJS.ProcessEnv = process.env): Config {
  let raw: unknown;
  try {
    raw = parseYaml(text);
  } catch (err) {
    throw new ConfigError(file, [`is not valid YAML: ${(err as Error).message.split('\n')[0]}`]);
  }
  const problems: string[] = [];
  const substituted = substitute(raw, [], env, problems);
  if (problems.length > 0) throw new ConfigError(file, problems);
  const result = configSchema.safeParse(substituted);
  if (!result.success) {
    throw new ConfigError(
      file,
      result.error.issues.map((issue) => `${formatPath(issue.path)}: ${issue.message}`),
    );
  }
  return result.data;
}

/** Replaces `${VAR}` in every string value (not in keys, and not in the YAML text itself). */
function substitute(value: unknown, path: PropertyKey[], env: NodeJS.ProcessEnv, problems: string[]): unknown {
  if (typeof value === 'string') {
    return value.replace(/\$\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_match, name: string) => {
      const found = env[name];
      if (found === undefined) {
        problems.push(`${formatPath(path)}: environment variable ${name} is not set`);
        return '';
      }
      return found;
    });
  }
  if (Array.isArray(value)) return value.map((v, i) => substitute(v, [...path, i], env, problems));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, [...path, k], env, problems)]));
  }
  return value;
}

function formatPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(top level)';
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`)).join('');
}

/** The DCS endpoint of a Huawei source: configured, or derived from the region. */
export function dcsEndpoint(source: HuaweiSourceConfig): string {
  return source.dcsEndpoint ?? `https://dcs.${source.region}.myhuaweicloud.com`;
}

/** The RDS endpoint of a Huawei source: configured, or derived from the region (eu-west-101 is on .eu). */
export function rdsEndpoint(source: HuaweiSourceConfig): string {
  if (source.rdsEndpoint) return source.rdsEndpoint;
  return source.region === 'eu-west-101' ? 'https://rds.eu-west-101.myhuaweicloud.eu' : `https://rds.${source.region}.myhuaweicloud.com`;
}
