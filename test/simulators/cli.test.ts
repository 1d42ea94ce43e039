/** `npm run simulators` (contract §2): one JSON line when ready, and servers that answer. */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';

describe('npm run simulators', { timeout: 30_000 }, () => {
  it('prints one JSON line with URLs and credentials, then serves them (with the knobs of the flags)', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/simulators/cli.ts', '--obshell-port', '0', '--huawei-port', '0', '--rate-limit', '2'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        child.stdout.on('data', (c: Buffer) => {
          out += c.toString();
          if (out.includes('\n')) resolve(out);
        });
        child.on('exit', (code) => reject(new Error(`exited with ${code}`)));
      });
      expect(line.trim().split('\n')).toHaveLength(1);
      const ready = JSON.parse(line) as {
        obshell: { url: string; password: string };
        huawei: { url: string; projectId: string; accessKey: string; secretKey: string; token: string };
        clusters: { name: string; url: string }[];
      };
      expect(Object.keys(ready.obshell).sort()).toEqual(['password', 'url']);
      expect(Object.keys(ready.huawei).sort()).toEqual(['accessKey', 'projectId', 'secretKey', 'token', 'url']);
      expect(ready.clusters.map((c) => c.url)).toContain(ready.obshell.url);

      const info = (await (await fetch(`${ready.obshell.url}/api/v1/info`)).json()) as { data: { identity: string } };
      expect(info.data.identity).toBe('CLUSTER AGENT');
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) {
        const res = await fetch(`${ready.huawei.url}/v2/${ready.huawei.projectId}/instances`, { headers: { 'X-Auth-Token': ready.huawei.token } });
        statuses.push(res.status);
        if (res.status === 429) expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      }
      expect(statuses.slice(0, 2)).toEqual([200, 200]);
      expect(statuses).toContain(429);
    } finally {
      child.kill('SIGTERM');
    }
  });
});
