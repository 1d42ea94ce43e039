/** An OceanBase source in the configuration file (contract §3). */
import { z } from 'zod';
import { httpUrl, sourceCommon } from '../../core/source-config.js';

export const obSourceConfig = z
  .object({
    ...sourceCommon,
    provider: z.literal('oceanbase').describe('An OceanBase cluster, read through its obshell agent.'),
    /** The obshell agent, e.g. http://10.0.0.1:2886. */
    url: httpUrl.describe('The obshell agent, e.g. http://10.0.0.1:2886 (http(s), no credentials, query or fragment).'),
    /** root@sys password; omit when the cluster has none. */
    password: z.string().optional().describe('root@sys password; omit when the cluster has none.'),
    /** The obshell agent password, for agents set up with one (sent in `X-OCS-Agent-Header` instead). */
    agentPassword: z
      .string()
      .min(1)
      .optional()
      .meta({ examples: ['${OB_AGENT_PASSWORD}'] })
      .describe('The obshell agent password, for agents set up with one (sent in `X-OCS-Agent-Header` instead).'),
  })
  .strict();

export type ObSourceConfig = z.infer<typeof obSourceConfig>;
