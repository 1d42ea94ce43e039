/**
 * Huawei Cloud `SDK-HMAC-SHA256` request signing (the API gateway's AK/SK scheme), with node:crypto
 * only. Notes §C.2; checked against the four official vectors (GO `signer_test.go`, PY
 * `test_signer.py`) and the two derived DCS/RDS vectors.
 *
 *   CanonicalRequest = Method \n CanonicalURI \n CanonicalQueryString \n CanonicalHeaders \n SignedHeaders \n HexSHA256(body)
 *   StringToSign     = "SDK-HMAC-SHA256" \n X-Sdk-Date \n HexSHA256(CanonicalRequest)
 *   Signature        = Hex(HMAC-SHA256(SK, StringToSign))
 *
 * Not AWS SigV4: no scope, no derived key. The function is pure: the date comes from the
 * `X-Sdk-Date` header the caller put in `headers`.
 */
import { createHash, createHmac } from 'node:crypto';

export const SIGNING_ALGORITHM = 'SDK-HMAC-SHA256';
export const SDK_DATE_HEADER = 'X-Sdk-Date';

export interface SignableRequest {
  method: string;
  /** Full URL (or one with only path and query); its path and query are what is signed. */
  url: URL | string;
  /** Headers as they will be sent. Must contain `X-Sdk-Date`. */
  headers: Readonly<Record<string, string>>;
  /** The exact body bytes that will be sent (empty for GET). */
  body?: string | Uint8Array;
}

export interface SigningCredentials {
  accessKey: string;
  secretKey: string;
}

export interface SignOptions {
  /**
   * Names (any case) of the headers to sign; each must be present in `headers`. Default: every
   * header passed in except names containing `_`, which GO and PY skip (notes §C.2 step 4).
   * GO's own vectors also skip `content-type`; pass `['x-sdk-date']` to reproduce them.
   */
  signedHeaders?: readonly string[];
}

export interface SignedRequest {
  /** The whole `Authorization` header value. */
  authorization: string;
  /** Lower-cased, sorted, `;`-joined. */
  signedHeaders: string;
  canonicalRequest: string;
  stringToSign: string;
  signature: string;
}

const EMPTY_BODY_SHA256 = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';

export function signRequest(request: SignableRequest, credentials: SigningCredentials, options: SignOptions = {}): SignedRequest {
  const url = typeof request.url === 'string' ? new URL(request.url, 'http://placeholder.invalid') : request.url;
  const headers = lowerCaseHeaders(request.headers);

  const sdkDate = headers.get('x-sdk-date');
  if (sdkDate === undefined) throw new Error(`${SDK_DATE_HEADER} header is required for signing`);

  const names = (options.signedHeaders ?? [...headers.keys()].filter((name) => !name.includes('_'))).map((name) => name.toLowerCase()).sort();
  const canonicalHeaders = names
    .map((name) => {
      const value = headers.get(name);
      if (value === undefined) throw new Error(`header ${name} is to be signed but is not in the request`);
      return `${name}:${value.trim()}\n`;
    })
    .join('');
  const signedHeaders = names.join(';');

  const canonicalRequest = [
    request.method.toUpperCase(),
    canonicalUri(url.pathname),
    canonicalQueryString(url.search),
    canonicalHeaders,
    signedHeaders,
    headers.get('x-sdk-content-sha256') ?? sha256Hex(request.body ?? ''),
  ].join('\n');
  const stringToSign = `${SIGNING_ALGORITHM}\n${sdkDate}\n${sha256Hex(canonicalRequest)}`;
  const signature = createHmac('sha256', credentials.secretKey).update(stringToSign, 'utf8').digest('hex');
  return {
    authorization: `${SIGNING_ALGORITHM} Access=${credentials.accessKey}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
    signedHeaders,
    canonicalRequest,
    stringToSign,
    signature,
  };
}

/** `X-Sdk-Date` value: `YYYYMMDDTHHMMSSZ` in UTC (GO `BasicDateFormat = "20060102T150405Z"`). */
export function formatSdkDate(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/[-:]/g, '');
}

/**
 * RFC 3986 encoding: only `A–Z a–z 0–9 - _ . ~` stay; everything else is `%XX` (upper-case hex)
 * over UTF-8. `encodeURIComponent` also leaves `! ' ( ) *` alone, so those are escaped after.
 */
export function rfc3986Encode(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/**
 * Each segment decoded (PY `unquote`s the path first) then re-encoded; a `/` is appended when the
 * result does not end in one. The slash exists only in the canonical string (notes §C.2 step 2).
 */
function canonicalUri(pathname: string): string {
  const path = pathname
    .split('/')
    .map((segment) => rfc3986Encode(decodePercent(segment)))
    .join('/');
  return path.endsWith('/') ? path : `${path}/`;
}

/**
 * Keys sorted by code unit; a repeated key gives one `k=v` per value, values sorted; keys and values
 * RFC 3986-encoded. The query is read as form-encoded (`URLSearchParams`: a raw `+` is a space), as
 * GO's `url.Values` reads it; our client always sends `%2B` (notes, Uncertainties 9).
 */
function canonicalQueryString(search: string): string {
  const byKey = new Map<string, string[]>();
  for (const [key, value] of new URLSearchParams(search)) {
    const values = byKey.get(key) ?? [];
    values.push(value);
    byKey.set(key, values);
  }
  return [...byKey.keys()]
    .sort()
    .flatMap((key) =>
      byKey
        .get(key)!
        .sort()
        .map((value) => `${rfc3986Encode(key)}=${rfc3986Encode(value)}`),
    )
    .join('&');
}

function lowerCaseHeaders(headers: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (out.has(lower)) throw new Error(`header ${lower} is given twice`);
    out.set(lower, value);
  }
  return out;
}

function decodePercent(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function sha256Hex(data: string | Uint8Array): string {
  if (typeof data === 'string' && data.length === 0) return EMPTY_BODY_SHA256;
  return createHash('sha256').update(data).digest('hex');
}
