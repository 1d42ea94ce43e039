/** A Huawei Cloud source in the configuration file (contract §3): one project in one region, DCS and RDS. */
import { z } from 'zod';
import { httpUrl, sourceCommon } from '../../core/source-config.js';

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

export const huaweiSourceConfig = z
  .object({
    ...sourceCommon,
    provider: z.literal('huaweicloud'),
    projectId: z.string().regex(/^[0-9a-f]{32}$/, 'must be a Huawei Cloud project ID (32 lower-case hex characters)'),
    region: z.string().regex(/^[a-z]{2}-[a-z]+-\d+$/, 'must be a region name such as cn-north-4'),
    dcsEndpoint: httpUrl.optional(),
    rdsEndpoint: httpUrl.optional(),
    credentials,
  })
  .strict();

export type HuaweiSourceConfig = z.infer<typeof huaweiSourceConfig>;

/** The DCS endpoint of a Huawei source: configured, or derived from the region. */
export function dcsEndpoint(source: HuaweiSourceConfig): string {
  return source.dcsEndpoint ?? `https://dcs.${source.region}.myhuaweicloud.com`;
}

/** The RDS endpoint of a Huawei source: configured, or derived from the region (eu-west-101 is on .eu). */
export function rdsEndpoint(source: HuaweiSourceConfig): string {
  if (source.rdsEndpoint) return source.rdsEndpoint;
  return source.region === 'eu-west-101' ? 'https://rds.eu-west-101.myhuaweicloud.eu' : `https://rds.${source.region}.myhuaweicloud.com`;
}
