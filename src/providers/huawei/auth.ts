/**
 * The two ways the Huawei API gateway accepts a caller (notes §C): an AK/SK signature
 * (`SDK-HMAC-SHA256`) or an IAM token (`X-Auth-Token`).
 */
import { systemClock, type Clock } from '../../lib/clock.js';
import { registerSecrets } from '../../lib/secrets.js';
import { formatSdkDate, signRequest } from './signer.js';

export interface AuthorizableRequest {
  method: string;
  url: URL;
  /** Mutated: the credential headers are added. */
  headers: Record<string, string>;
  body: string;
}

export interface HuaweiAuth {
  /** Adds the credential headers to `req.headers`; call last, after every other header is set. */
  authorize(req: AuthorizableRequest): void;
  /** Values `redact` must hide from anything we store or throw (upstreams echo parts of requests). */
  readonly secrets: readonly string[];
}

export interface AkSkAuthOptions {
  accessKey: string;
  secretKey: string;
  /** With temporary AK/SK (notes §C.2 step 7). */
  securityToken?: string;
  /** Sent as `X-Project-Id`: required for sub-projects and multi-project setups under AK/SK. */
  projectId?: string;
  /** Clock for `X-Sdk-Date`. Default: the system clock. */
  clock?: Clock;
}

/**
 * Signs with `SDK-HMAC-SHA256`. Adds `X-Sdk-Date`, `Host`, `X-Project-Id` (when known) and
 * `X-Security-Token` (when given), then signs every header of the request (at least host,
 * x-project-id, x-sdk-date, x-security-token) and sets `Authorization`.
 */
export class AkSkAuth implements HuaweiAuth {
  readonly secrets: readonly string[];
  private readonly accessKey: string;
  private readonly secretKey: string;
  private readonly securityToken: string | undefined;
  private readonly projectId: string | undefined;
  private readonly clock: Clock;

  constructor(options: AkSkAuthOptions) {
    if (!options.accessKey || !options.secretKey) throw new Error('AkSkAuth needs an access key and a secret key');
    this.accessKey = options.accessKey;
    this.secretKey = options.secretKey;
    this.securityToken = options.securityToken || undefined;
    this.projectId = options.projectId || undefined;
    this.clock = options.clock ?? systemClock;
    this.secrets = [options.secretKey, options.accessKey, ...(this.securityToken ? [this.securityToken] : [])];
    registerSecrets(...this.secrets);
  }

  authorize(req: AuthorizableRequest): void {
    const { headers } = req;
    for (const name of Object.keys(headers)) {
      // Replace, never duplicate, headers we own (a retried request passes through here again).
      if (/^(authorization|host|x-sdk-date|x-project-id|x-security-token)$/i.test(name)) delete headers[name];
    }
    headers['X-Sdk-Date'] = formatSdkDate(new Date(this.clock.now()));
    headers['Host'] = req.url.host;
    if (this.projectId) headers['X-Project-Id'] = this.projectId;
    if (this.securityToken) headers['X-Security-Token'] = this.securityToken;
    const signed = signRequest({ method: req.method, url: req.url, headers, body: req.body }, { accessKey: this.accessKey, secretKey: this.secretKey });
    headers['Authorization'] = signed.authorization;
  }
}

/** IAM token auth: the `X-Subject-Token` of `POST /v3/auth/tokens`, valid 24 h (notes §C.1). */
export class TokenAuth implements HuaweiAuth {
  readonly secrets: readonly string[];
  private readonly token: string;

  constructor(options: { token: string }) {
    if (!options.token) throw new Error('TokenAuth needs a token');
    this.token = options.token;
    this.secrets = [options.token];
    registerSecrets(...this.secrets);
  }

  authorize(req: AuthorizableRequest): void {
    for (const name of Object.keys(req.headers)) if (name.toLowerCase() === 'x-auth-token') delete req.headers[name];
    req.headers['X-Auth-Token'] = this.token;
  }
}
