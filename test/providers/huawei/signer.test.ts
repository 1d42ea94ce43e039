import { describe, expect, it } from 'vitest';
import { fixedClock } from '../../../src/lib/clock.js';
import { AkSkAuth, TokenAuth } from '../../../src/providers/huawei/auth.js';
import { formatSdkDate, rfc3986Encode, signRequest } from '../../../src/providers/huawei/signer.js';
import { AKSKSigner, sdkCredential } from './helpers.js';

const CREDS = { accessKey: 'AccessKey', secretKey: 'SecretKey' };
const PROJECT = '0123456789abcdef0123456789abcdef';
const DCS_URL =
  'https://dcs.cn-north-4.myhuaweicloud.com/v2/0123456789abcdef0123456789abcdef/instances/5560df16-cebf-4473-95c4-d1b573c16e79/backups?begin_time=20240101000000&end_time=20240131235959&limit=10&offset=0';
const RDS_URL =
  'https://rds.cn-north-4.myhuaweicloud.com/v3/0123456789abcdef0123456789abcdef/backups?instance_id=43e4feaab48f11e89039fa163ebaa7e4in01&begin_time=2024-01-01T00:00:00%2B0000&end_time=2024-01-31T23:59:59%2B0000&limit=100&offset=0';

describe('SDK-HMAC-SHA256 signer: official vectors (notes §C.2)', () => {
  it('GO vector 1: GET /path?limit=1, signs only x-sdk-date, skips TEST_UNDERSCORE', () => {
    const signed = signRequest({ method: 'GET', url: '/path?limit=1', headers: { 'X-Sdk-Date': '20060102T150405Z', TEST_UNDERSCORE: 'TEST_VALUE' } }, CREDS);
    expect(signed.authorization).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=5a2ce64c865e0e6046321c6f3d5a77ba8413eeaf355c3166c03d58d02ac79624',
    );
  });

  it('GO vector 2: POST with a JSON body; GO does not sign content-type', () => {
    const signed = signRequest(
      {
        method: 'POST',
        url: '/path?key=value',
        headers: { 'X-Sdk-Date': '20060102T150405Z', TEST_UNDERSCORE: 'TEST_VALUE', 'Content-Type': 'application/json' },
        body: '{"Name":"test","Id":1}\n',
      },
      CREDS,
      { signedHeaders: ['x-sdk-date'] },
    );
    expect(signed.authorization).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=x-sdk-date, Signature=cecc2af119b18ab70b4d094c0750f3b42c02f254903179a0fc2cc72fc9db4f59',
    );
  });

  it('PY vector 3: GET with host, and its intermediate values', () => {
    const url = new URL('https://service.endpoint.myhuaweicloud.com/resources?size=1');
    const signed = signRequest({ method: 'GET', url, headers: { Host: url.host, 'X-Sdk-Date': '20200608T023900Z', TEST_UNDERSCORE: 'TEST_VALUE' } }, CREDS);
    expect(signed.canonicalRequest).toBe(
      'GET\n/resources/\nsize=1\nhost:service.endpoint.myhuaweicloud.com\nx-sdk-date:20200608T023900Z\n\nhost;x-sdk-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
    );
    expect(signed.stringToSign).toBe('SDK-HMAC-SHA256\n20200608T023900Z\nde94dd1e1ccdb730b403ce35d7e14f7c7b04337f6def1c3a3a2ba936852b133f');
    expect(signed.authorization).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=cfb4171acec81de07d50e53d57eb77edd537414d66ddb1d7d780f128e12cd842',
    );
  });

  it('PY vector 4: POST with a body', () => {
    const url = new URL('https://service.endpoint.myhuaweicloud.com/resources?size=1');
    const signed = signRequest(
      { method: 'POST', url, headers: { Host: url.host, 'X-Sdk-Date': '20200608T023900Z', TEST_UNDERSCORE: 'TEST_VALUE' }, body: '{"name":"test","id":1}' },
      CREDS,
    );
    expect(signed.authorization).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=436b1ac0a1ae03705934bb70ef2f2e09f7bfed2117d731a38235053199323a1f',
    );
  });
});

describe('SDK-HMAC-SHA256 signer: derived DCS and RDS vectors', () => {
  const headersFor = (url: URL) => ({ Host: url.host, 'X-Sdk-Date': '20240201T120000Z', 'X-Project-Id': PROJECT });

  it('DCS list backups', () => {
    const url = new URL(DCS_URL);
    expect(signRequest({ method: 'GET', url, headers: headersFor(url) }, CREDS).authorization).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-project-id;x-sdk-date, Signature=b7b19db540adffbcf66ee3a9eb818f5ec6f485e756dd1bb74aa0aad59b7fd372',
    );
  });

  it('RDS list backups, with the + of the offset encoded as %2B', () => {
    const url = new URL(RDS_URL);
    const signed = signRequest({ method: 'GET', url, headers: headersFor(url) }, CREDS);
    expect(signed.canonicalRequest.split('\n')[2]).toBe(
      'begin_time=2024-01-01T00%3A00%3A00%2B0000&end_time=2024-01-31T23%3A59%3A59%2B0000&instance_id=43e4feaab48f11e89039fa163ebaa7e4in01&limit=100&offset=0',
    );
    expect(signed.authorization).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-project-id;x-sdk-date, Signature=1b64ad3cf15770861d1cdf46d5550d00474f8aadc057a03a37d59b21bf945f13',
    );
  });

  it('the official SDK signer (another implementation) gives the same derived signatures', () => {
    for (const [raw, expected] of [
      [DCS_URL, 'b7b19db540adffbcf66ee3a9eb818f5ec6f485e756dd1bb74aa0aad59b7fd372'],
      [RDS_URL, '1b64ad3cf15770861d1cdf46d5550d00474f8aadc057a03a37d59b21bf945f13'],
    ] as const) {
      const url = new URL(raw);
      const headers = AKSKSigner.sign(
        {
          method: 'GET',
          endpoint: `${url.origin}${url.pathname}`,
          queryParams: Object.fromEntries(url.searchParams),
          headers: { 'X-Sdk-Date': '20240201T120000Z', 'X-Project-Id': PROJECT },
        },
        sdkCredential('AccessKey', 'SecretKey'),
      );
      expect(headers['Authorization']).toBe(`SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-project-id;x-sdk-date, Signature=${expected}`);
    }
  });
});

describe('signer details', () => {
  it('canonical query: sorted keys, repeated keys sorted by value, RFC 3986 encoding (GO/PY vector)', () => {
    const url = new URL('https://h.example/p');
    url.search = new URLSearchParams([
      ['test', '一 (&=?!#%.*)'],
      ['path', '/tmp/123'],
      ['multi', '3'],
      ['multi', '1'],
      ['multi', '2'],
      ['limit', '1'],
      ['enable', 'true'],
    ]).toString();
    const signed = signRequest({ method: 'GET', url, headers: { 'X-Sdk-Date': '20240201T120000Z' } }, CREDS);
    expect(signed.canonicalRequest.split('\n')[2]).toBe(
      'enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29',
    );
  });

  it('canonical URI: each segment re-encoded, trailing slash added only in the canonical string', () => {
    const signed = signRequest({ method: 'get', url: "https://h.example/a%20b/c(d)/e'f", headers: { 'X-Sdk-Date': '20240201T120000Z' } }, CREDS);
    expect(signed.canonicalRequest.split('\n').slice(0, 2)).toEqual(['GET', '/a%20b/c%28d%29/e%27f/']);
    expect(
      signRequest({ method: 'GET', url: 'https://h.example/', headers: { 'X-Sdk-Date': '20240201T120000Z' } }, CREDS).canonicalRequest.split('\n')[1],
    ).toBe('/');
  });

  it('X-Sdk-Content-Sha256 replaces the body hash; header values are trimmed', () => {
    const signed = signRequest(
      {
        method: 'PUT',
        url: '/x',
        headers: { 'X-Sdk-Date': '20240201T120000Z', 'X-Sdk-Content-Sha256': 'UNSIGNED-PAYLOAD', 'X-Extra': '  v  ' },
        body: 'ignored',
      },
      CREDS,
    );
    expect(signed.canonicalRequest.endsWith('\nUNSIGNED-PAYLOAD')).toBe(true);
    expect(signed.canonicalRequest).toContain('x-extra:v\n');
    expect(signed.signedHeaders).toBe('x-extra;x-sdk-content-sha256;x-sdk-date');
  });

  it('refuses to sign without X-Sdk-Date or with a named header missing', () => {
    expect(() => signRequest({ method: 'GET', url: '/x', headers: {} }, CREDS)).toThrow(/X-Sdk-Date/);
    expect(() => signRequest({ method: 'GET', url: '/x', headers: { 'X-Sdk-Date': '20240201T120000Z' } }, CREDS, { signedHeaders: ['host'] })).toThrow(/host/);
  });

  it('formatSdkDate and rfc3986Encode', () => {
    expect(formatSdkDate(new Date(Date.UTC(2006, 0, 2, 15, 4, 5, 999)))).toBe('20060102T150405Z');
    expect(rfc3986Encode("a+b:c/d*e!f'g(h)~_.-")).toBe('a%2Bb%3Ac%2Fd%2Ae%21f%27g%28h%29~_.-');
  });
});

describe('auth header builders', () => {
  it('AkSkAuth adds X-Sdk-Date, Host, X-Project-Id, X-Security-Token and signs them all', () => {
    const auth = new AkSkAuth({ ...CREDS, securityToken: 'temp-security-token', projectId: PROJECT, clock: fixedClock(Date.UTC(2024, 1, 1, 12)) });
    const url = new URL(RDS_URL);
    const headers: Record<string, string> = {};
    auth.authorize({ method: 'GET', url, headers, body: '' });
    expect(headers).toMatchObject({
      'X-Sdk-Date': '20240201T120000Z',
      Host: 'rds.cn-north-4.myhuaweicloud.com',
      'X-Project-Id': PROJECT,
      'X-Security-Token': 'temp-security-token',
    });
    expect(headers['Authorization']).toMatch(
      /^SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-project-id;x-sdk-date;x-security-token, Signature=[0-9a-f]{64}$/,
    );
    expect(auth.secrets).toEqual(expect.arrayContaining(['SecretKey', 'AccessKey', 'temp-security-token']));
  });

  it('AkSkAuth without a security token reproduces the derived RDS vector', () => {
    const auth = new AkSkAuth({ ...CREDS, projectId: PROJECT, clock: fixedClock(Date.UTC(2024, 1, 1, 12)) });
    const headers: Record<string, string> = {};
    auth.authorize({ method: 'GET', url: new URL(RDS_URL), headers, body: '' });
    expect(headers['Authorization']).toBe(
      'SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-project-id;x-sdk-date, Signature=1b64ad3cf15770861d1cdf46d5550d00474f8aadc057a03a37d59b21bf945f13',
    );
    // Authorizing again (a retry) replaces the headers instead of duplicating them.
    auth.authorize({ method: 'GET', url: new URL(RDS_URL), headers, body: '' });
    expect(Object.keys(headers).sort()).toEqual(['Authorization', 'Host', 'X-Project-Id', 'X-Sdk-Date']);
  });

  it('TokenAuth sets X-Auth-Token and lists the token as a secret', () => {
    const auth = new TokenAuth({ token: 'MIIZtoken' });
    const headers: Record<string, string> = {};
    auth.authorize({ method: 'GET', url: new URL(RDS_URL), headers, body: '' });
    expect(headers).toEqual({ 'X-Auth-Token': 'MIIZtoken' });
    expect(auth.secrets).toEqual(['MIIZtoken']);
  });
});
