import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.js';
import { dcsEndpoint, rdsEndpoint } from '../src/providers/huawei/config.js';

const GOOD = `
server:
  port: 4100
sources:
  - name: ob-hangzhou
    provider: oceanbase
    url: http://10.0.0.1:2886
    password: \${OB_ROOT_PASSWORD}
  - name: hw-cn-north-4
    provider: huaweicloud
    projectId: 0123456789abcdef0123456789abcdef
    region: cn-north-4
    credentials:
      accessKey: \${HW_AK}
      secretKey: \${HW_SK}
  - name: hw-token
    provider: huaweicloud
    projectId: fedcba9876543210fedcba9876543210
    region: eu-west-101
    rdsEndpoint: https://rds.example.internal
    credentials:
      token: tok-123
`;

const env = { OB_ROOT_PASSWORD: 'S3cret!pw', HW_AK: 'AKEXAMPLE', HW_SK: 'SKEXAMPLEsecret' };

function problems(text: string, vars: Record<string, string> = env): string[] {
  try {
    parseConfig(text, 'test.yaml', vars);
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('expected the configuration to be refused');
}

describe('configuration file', () => {
  it('reads the contract example, substituting ${VAR} from the environment', () => {
    const config = parseConfig(GOOD, 'test.yaml', env);
    expect(config.server.port).toBe(4100);
    const [ob, hw, token] = config.sources;
    expect(ob).toMatchObject({ provider: 'oceanbase', password: 'S3cret!pw', timeoutMs: 10_000, maxConcurrency: 32 });
    expect(hw).toMatchObject({ credentials: { accessKey: 'AKEXAMPLE', secretKey: 'SKEXAMPLEsecret' } });
    expect(dcsEndpoint(hw as never)).toBe('https://dcs.cn-north-4.myhuaweicloud.com');
    expect(rdsEndpoint(hw as never)).toBe('https://rds.cn-north-4.myhuaweicloud.com');
    expect(dcsEndpoint(token as never)).toBe('https://dcs.eu-west-101.myhuaweicloud.com');
    expect(rdsEndpoint(token as never)).toBe('https://rds.example.internal');
  });

  it('names the field at fault for every problem, and never echoes a secret', () => {
    const text = GOOD.replace('name: hw-token', 'name: ob-hangzhou')
      .replace('url: http://10.0.0.1:2886', 'url: ftp://S3cret!pw@host')
      .replace('projectId: 0123456789abcdef0123456789abcdef', 'projectId: SKEXAMPLEsecret')
      .replace('token: tok-123', 'token: tok-123\n      accessKey: AK2');
    const found = problems(text);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^sources\[0\]\.url: /),
        expect.stringMatching(/^sources\[1\]\.projectId: /),
        expect.stringMatching(/^sources\[2\]\.credentials: must hold exactly one of/),
        expect.stringMatching(/^sources\[2\]\.name: "ob-hangzhou" is used by another source/),
      ]),
    );
    const all = found.join('\n');
    for (const secret of Object.values(env)) expect(all).not.toContain(secret);
  });

  it('refuses a missing environment variable, naming it and the field', () => {
    expect(problems(GOOD, { HW_AK: 'a', HW_SK: 'b' })).toEqual(['sources[0].password: environment variable OB_ROOT_PASSWORD is not set']);
  });

  it('refuses unknown providers, unknown keys, bad names and an empty source list', () => {
    expect(problems('sources: []')).toEqual(['sources: must list at least one source']);
    expect(problems('sources:\n  - name: x\n    provider: mysql\n')[0]).toMatch(/^sources\[0\]\.provider: provider must be "oceanbase" or "huaweicloud"/);
    expect(problems('sources:\n  - name: Bad_Name\n    provider: oceanbase\n    url: http://h:1\n')[0]).toMatch(/^sources\[0\]\.name: must be lower-case/);
    expect(problems('sources:\n  - name: a\n    provider: oceanbase\n    url: http://h:1\n    pasword: x\n')[0]).toMatch(
      /^sources\[0\]: Unrecognized key: "pasword"/,
    );
    expect(problems('server: [1\n')[0]).toMatch(/^is not valid YAML/);
  });
});
