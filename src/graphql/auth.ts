/**
 * Client authentication and roles. Optional: without an `auth` section the API is open (demo mode).
 * With one, every GraphQL request carries `Authorization: Bearer <credential>`, one of
 *
 * - an API key from the configuration, kept there only as its sha256 (hex), with a role (`read`,
 *   or `operate` for the actions) and optionally the sources it may see;
 * - a JWT, checked with `jose` against a JWKS URL, a static public key (PEM or JWK) or a shared
 *   secret (HS256), with its issuer, audience and expiry; the role and the sources come from claims.
 *
 * A request without a valid credential is answered 401 `UNAUTHENTICATED` before it is parsed; a
 * credential never appears in a response, an error or a log line. What a principal may see is
 * enforced by the fleet (`Operation.access`): a source outside its list does not exist for it.
 */
import { createHash, createPublicKey, createSecretKey, type KeyObject } from 'node:crypto';
import { getOperationAST, GraphQLError, Kind, OperationTypeNode, type ExecutionArgs } from 'graphql';
import { auditRoleRefusal } from './actions.js';
import type { Plugin } from 'graphql-yoga';
import { createRemoteJWKSet, errors as joseErrors, importJWK, jwtVerify, type JWK, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { z } from 'zod';
import type { Clock } from '../lib/clock.js';
import { log } from '../lib/log.js';
import { registerSecrets } from '../lib/secrets.js';

export type Role = 'read' | 'operate';

const sha256Hex = z
  .string()
  .regex(/^[0-9a-fA-F]{64}$/, 'must be the hex sha256 of the key (64 hex digits), never the key itself')
  // Before the transform: a transforming schema's examples are not the input's, and toJSONSchema drops them on the input side.
  .meta({ examples: ['0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'] })
  .transform((v) => v.toLowerCase());

export const authConfigSchema = z
  .object({
    apiKeys: z
      .array(
        z
          .object({
            /** Who the key belongs to (in logs and metrics; never the key). */
            name: z
              .string()
              .min(1)
              .max(100)
              .meta({ examples: ['dashboard'] })
              .describe('Who the key belongs to (in logs and metrics; never the key).'),
            sha256: sha256Hex.describe('The hex sha256 of the key (`printf %s "$KEY" | sha256sum`), never the key itself.'),
            role: z.enum(['read', 'operate']).default('read').describe('`read`, or `operate` for the actions (mutations).'),
            /** The sources this key may see and act on; absent: all. */
            sources: z
              .array(z.string())
              .min(1)
              .optional()
              .meta({ examples: [['ob-prod']] })
              .describe('The sources this key may see and act on; absent: all.'),
          })
          .strict(),
      )
      .default([])
      .describe('API keys, sent as `Authorization: Bearer <key>`: each kept here only as its sha256, with a role and optionally the sources it may see.'),
    jwt: z
      .object({
        /** Keys from a JWKS endpoint (refetched when a token names an unknown `kid`). */
        jwksUrl: z
          .url({ protocol: /^https?$/ })
          .optional()
          .meta({ examples: ['https://idp.example.com/.well-known/jwks.json'] })
          .describe('Keys from a JWKS endpoint (refetched when a token names an unknown `kid`).'),
        /** A static public key: PEM (SPKI) or a JWK as JSON. */
        publicKey: z
          .string()
          .min(1)
          .optional()
          .meta({ examples: ['${JWT_PUBLIC_KEY}'] })
          .describe('A static public key: PEM (SPKI) or a JWK as JSON.'),
        /** A shared secret for HS256/384/512 (at least 32 bytes). */
        secret: z
          .string()
          .min(32)
          .optional()
          .meta({ examples: ['${JWT_SECRET}'] })
          .describe('A shared secret for HS256/384/512 (at least 32 bytes).'),
        issuer: z
          .string()
          .min(1)
          .optional()
          .meta({ examples: ['https://idp.example.com'] })
          .describe('The `iss` a token must carry; absent: not checked.'),
        audience: z
          .string()
          .min(1)
          .optional()
          .meta({ examples: ['backupql'] })
          .describe('The `aud` a token must carry; absent: not checked.'),
        /** Accepted `alg`s; default: what the key type allows. */
        algorithms: z
          .array(z.string().min(1))
          .min(1)
          .optional()
          .meta({ examples: [['RS256']] })
          .describe('Accepted `alg`s; absent: what the key type allows.'),
        /** The claim holding the role (`read` or `operate`, or an array naming them); absent claim: `read`. */
        roleClaim: z
          .string()
          .min(1)
          .default('backupql_role')
          .describe('The claim holding the role (`read` or `operate`, or an array naming them); absent claim: `read`.'),
        /** The claim holding the sources the bearer may see (an array of names); absent claim: all. */
        sourcesClaim: z
          .string()
          .min(1)
          .default('backupql_sources')
          .describe('The claim holding the sources the bearer may see (an array of names); absent claim: all.'),
        clockToleranceSeconds: z.number().min(0).max(600).default(30).describe('Leeway for the expiry and not-before checks of a token, seconds.'),
      })
      .strict()
      .refine((j) => [j.jwksUrl, j.publicKey, j.secret].filter((v) => v !== undefined).length === 1, {
        message: 'give exactly one of jwksUrl, publicKey or secret',
      })
      .optional()
      .describe(
        'JWTs, sent as `Authorization: Bearer <token>`: checked against exactly one of `jwksUrl`, `publicKey` or `secret`, with their issuer, audience and expiry; the role and the sources come from claims.',
      ),
  })
  .strict()
  .refine((a) => a.apiKeys.length > 0 || a.jwt !== undefined, { message: 'list apiKeys or configure jwt (or leave auth out to keep the API open)' });

export type AuthConfig = z.output<typeof authConfigSchema>;

/** Who is asking, and what they may see and do. */
export interface Principal {
  /** The API key's name, or the JWT's `sub`; `anonymous` when the API is open. */
  name: string;
  via: 'open' | 'api-key' | 'jwt';
  role: Role;
  /** The sources this principal may see; null: every configured source. */
  sources: readonly string[] | null;
}

/** Without `auth` configured: everyone, everything (demo mode). */
export const OPEN_ACCESS: Principal = { name: 'anonymous', via: 'open', role: 'operate', sources: null };

export class AuthFailure extends Error {}

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

export class Authenticator {
  private readonly keys = new Map<string, { name: string; role: Role; sources: readonly string[] | null }>();
  private readonly jwtKey: Promise<KeyObject | Uint8Array | JWTVerifyGetKey> | undefined;

  constructor(
    private readonly config: AuthConfig | undefined,
    private readonly clock: Clock,
  ) {
    for (const key of config?.apiKeys ?? []) this.keys.set(key.sha256, { name: key.name, role: key.role, sources: key.sources ?? null });
    const jwt = config?.jwt;
    registerSecrets(jwt?.secret);
    if (jwt?.jwksUrl) this.jwtKey = Promise.resolve(createRemoteJWKSet(new URL(jwt.jwksUrl), { timeoutDuration: 5_000, cooldownDuration: 30_000 }));
    else if (jwt?.publicKey) this.jwtKey = staticKey(jwt.publicKey);
    else if (jwt?.secret) this.jwtKey = Promise.resolve(createSecretKey(Buffer.from(jwt.secret, 'utf8')));
    // A key that does not load fails the requests that need it (as unauthenticated), not the process.
    this.jwtKey?.catch(() => undefined);
  }

  get enabled(): boolean {
    return this.config !== undefined;
  }

  /** The principal of a request; throws `AuthFailure` (with a message fit for the client) when there is none. */
  async authenticate(request: Request): Promise<Principal> {
    if (!this.config) return OPEN_ACCESS;
    const header = request.headers.get('authorization');
    if (!header) throw new AuthFailure('Authentication required: send `Authorization: Bearer <API key or token>`.');
    const match = /^Bearer[ ]+(\S+)\s*$/i.exec(header);
    if (!match) throw new AuthFailure('The Authorization header must be `Bearer <API key or token>`.');
    const credential = match[1]!;
    if (this.config.jwt && JWT_SHAPE.test(credential)) return this.verifyJwt(credential);
    const key = this.keys.get(createHash('sha256').update(credential, 'utf8').digest('hex'));
    if (!key) throw new AuthFailure('The API key is not valid.');
    return { name: key.name, via: 'api-key', role: key.role, sources: key.sources };
  }

  private async verifyJwt(token: string): Promise<Principal> {
    const jwt = this.config!.jwt!;
    let payload: JWTPayload;
    try {
      const key = await this.jwtKey!;
      const options = {
        ...(jwt.issuer ? { issuer: jwt.issuer } : {}),
        ...(jwt.audience ? { audience: jwt.audience } : {}),
        ...(jwt.algorithms ? { algorithms: jwt.algorithms } : {}),
        clockTolerance: jwt.clockToleranceSeconds,
        currentDate: new Date(this.clock.now()),
      };
      ({ payload } = typeof key === 'function' ? await jwtVerify(token, key, options) : await jwtVerify(token, key, options));
    } catch (err) {
      throw new AuthFailure(jwtProblem(err));
    }
    const role = roleOf(payload[jwt.roleClaim]);
    if (role === undefined) throw new AuthFailure(`The token's ${jwt.roleClaim} claim names no role (read or operate).`);
    const claim: unknown = payload[jwt.sourcesClaim];
    let sources: string[] | null = null;
    if (claim !== undefined) {
      if (!Array.isArray(claim) || !claim.every((s): s is string => typeof s === 'string')) {
        throw new AuthFailure(`The token's ${jwt.sourcesClaim} claim must be an array of source names.`);
      }
      sources = claim;
    }
    return { name: typeof payload.sub === 'string' ? payload.sub : 'jwt', via: 'jwt', role, sources };
  }
}

async function staticKey(text: string): Promise<KeyObject | Uint8Array> {
  const trimmed = text.trim();
  if (trimmed.startsWith('{')) return importJWK(JSON.parse(trimmed) as JWK) as Promise<KeyObject | Uint8Array>;
  return createPublicKey(trimmed);
}

function roleOf(claim: unknown): Role | undefined {
  if (claim === undefined) return 'read';
  const roles = Array.isArray(claim) ? claim : [claim];
  if (roles.includes('operate')) return 'operate';
  if (roles.includes('read')) return 'read';
  return undefined;
}

/** What went wrong with a token, in words that reveal nothing about the keys. */
function jwtProblem(err: unknown): string {
  if (err instanceof joseErrors.JWTExpired) return 'The token has expired.';
  if (err instanceof joseErrors.JWTClaimValidationFailed) return `The token's ${err.claim} claim is not accepted.`;
  if (err instanceof joseErrors.JWSSignatureVerificationFailed || err instanceof joseErrors.JWKSNoMatchingKey)
    return 'The token is not signed by a trusted key.';
  if (err instanceof joseErrors.JOSEAlgNotAllowed) return "The token's algorithm is not accepted.";
  if (err instanceof joseErrors.JWKSTimeout || (err instanceof joseErrors.JOSEError && err.code === 'ERR_JWKS_INVALID')) {
    log.warn({ auth: { problem: err.code } }, 'the JWKS could not be read; tokens cannot be checked');
    return 'The token cannot be checked right now.';
  }
  return 'The token is not valid.';
}

/**
 * Checks the credential of every request to the GraphQL endpoint before it is parsed (the GraphiQL
 * page and CORS preflights excepted: they carry no data). The principal is kept for the context.
 */
export function useAuth(authenticator: Authenticator, principals: WeakMap<Request, Principal>, endpoint: string): Plugin {
  return {
    async onRequest(payload) {
      const { request, url, fetchAPI } = payload;
      if (!authenticator.enabled || url.pathname !== endpoint || request.method === 'OPTIONS') return;
      if (request.method === 'GET' && !url.searchParams.has('query') && (request.headers.get('accept') ?? '').includes('text/html')) return;
      try {
        principals.set(request, await authenticator.authenticate(request));
      } catch (err) {
        if (!(err instanceof AuthFailure)) throw err;
        payload.endResponse(
          new fetchAPI.Response(JSON.stringify({ errors: [{ message: err.message, extensions: { code: 'UNAUTHENTICATED' } }] }), {
            status: 401,
            headers: { 'content-type': 'application/json; charset=utf-8', 'www-authenticate': 'Bearer realm="backupql"' },
          }),
        );
      }
    },
  };
}

/** Whether a principal may run an operation of this type: mutations (the actions) need `operate`. */
export function mayRun(principal: Principal, operation: 'query' | 'mutation' | 'subscription'): boolean {
  return operation !== 'mutation' || principal.role === 'operate';
}

/** Refuses an operation the principal's role does not allow, with `FORBIDDEN`, before it runs. */
export function useRoles(principalOf: (context: object) => Principal): Plugin {
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const { document, operationName, contextValue } = args as ExecutionArgs;
      const operation = getOperationAST(document, operationName);
      if (!operation || mayRun(principalOf(contextValue as object), operation.operation)) return;
      if (operation.operation === OperationTypeNode.MUTATION) {
        const fields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
        auditRoleRefusal(principalOf(contextValue as object), fields, (contextValue as { op?: { requestId?: string } }).op?.requestId);
      }
      setResultAndStopExecution({
        errors: [new GraphQLError(`This credential's role is read: ${operation.operation}s need the operate role.`, { extensions: { code: 'FORBIDDEN' } })],
      });
    },
  };
}
