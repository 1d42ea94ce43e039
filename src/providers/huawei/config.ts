/** A Huawei Cloud source in the configuration file (contract §3): one project in one region, DCS and RDS. */
import { z } from 'zod';
import { httpUrl, sourceCommon } from '../../core/source-config.js';

const CREDENTIALS_RULE = 'must hold exactly one of: accessKey and secretKey (AK/SK signing, optionally securityToken), or token';

/** Exactly one way to authenticate: AK/SK (with an optional security token) or an IAM token. */
const credentials = z
  .object({
    accessKey: z.string().min(1).optional().describe('Access key ID (AK) of an IAM user, for AK/SK request signing.'),
    secretKey: z.string().min(1).optional().describe('Secret access key (SK) that goes with `accessKey`.'),
    securityToken: z
      .string()
      .min(1)
      .optional()
      .meta({ examples: ['${HW_SECURITY_TOKEN}'] })
      .describe('Security token of temporary AK/SK credentials (with `accessKey` and `secretKey`).'),
    token: z
      .string()
      .min(1)
      .optional()
      .meta({ examples: ['${HW_IAM_TOKEN}'] })
      .describe('An IAM token (`X-Subject-Token` of `POST /v3/auth/tokens`, sent as `X-Auth-Token`) instead of AK/SK.'),
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
    provider: z.literal('huaweicloud').describe('One Huawei Cloud project in one region: its DCS and RDS instances.'),
    projectId: z
      .string()
      .regex(/^[0-9a-f]{32}$/, 'must be a Huawei Cloud project ID (32 lower-case hex characters)')
      .describe('The project ID (32 lower-case hex characters) of the project in `region`.'),
    region: z
      .string()
      .regex(/^[a-z]{2}-[a-z]+-\d+$/, 'must be a region name such as cn-north-4')
      .describe('The region of the project, e.g. cn-north-4.'),
    dcsEndpoint: httpUrl.optional().describe('The DCS API endpoint; absent: `https://dcs.<region>.myhuaweicloud.com`.'),
    rdsEndpoint: httpUrl.optional().describe('The RDS API endpoint; absent: `https://rds.<region>.myhuaweicloud.com` (`.myhuaweicloud.eu` for eu-west-101).'),
    credentials: credentials.describe(`How to authenticate: ${CREDENTIALS_RULE.replace(/^must hold /, '')}.`),
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
