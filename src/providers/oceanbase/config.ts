/** An OceanBase source in the configuration file (contract §3). */
import { z } from 'zod';
import { httpUrl, sourceCommon } from '../../core/source-config.js';

export const obSourceConfig = z
  .object({
    ...sourceCommon,
    provider: z.literal('oceanbase'),
    /** The obshell agent, e.g. http://10.0.0.1:2886. */
    url: httpUrl,
    /** root@sys password; omit when the cluster has none. */
    password: z.string().optional(),
    /** The obshell agent password, for agents set up with one (sent in `X-OCS-Agent-Header` instead). */
    agentPassword: z.string().min(1).optional(),
  })
  .strict();

export type ObSourceConfig = z.infer<typeof obSourceConfig>;
