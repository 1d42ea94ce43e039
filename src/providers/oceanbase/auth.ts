/**
 * The client side of obshell's "hybrid encryption" auth (v2, obshell ≥ 4.2.3; notes §4.1–4.3):
 *
 * - `X-OCS-Header` = base64( RSA-PKCS#1-v1.5 over 53-byte chunks of the JSON
 *   `{"Auth","Ts","Uri","Keys"}`, the k-byte blocks concatenated ) with the agent's public key;
 * - the request body, when there is one, is AES-128-CBC (PKCS#7) under the random key and IV that
 *   `Keys` carries, sent as raw base64 text.
 *
 * Nothing here logs or keeps the password, the header or the AES keys.
 */
import { constants, createCipheriv, createPublicKey, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto';

/**
 * Plaintext chunk size both SDKs use: 512/8 − 11, the PKCS#1 v1.5 maximum for a 512-bit key, which
 * also fits the 1024-bit keys of obshell ≥ 4.4.2.0 (notes §4.1).
 */
export const RSA_CHUNK_BYTES = 53;

/** The AES-128 key and CBC IV of one request (16 bytes each). */
export interface AesKeys {
  key: Buffer;
  iv: Buffer;
}

/** Turns `/api/v1/secret`'s `public_key` (base64 DER PKCS#1 RSAPublicKey) into a key object. */
export function importAgentPublicKey(publicKeyBase64: string): KeyObject {
  return createPublicKey({ key: Buffer.from(publicKeyBase64, 'base64'), format: 'der', type: 'pkcs1' });
}

export function createAesKeys(): AesKeys {
  return { key: randomBytes(16), iv: randomBytes(16) };
}

/**
 * RSA PKCS#1 v1.5 "sectional" encryption as the agent expects it: the plaintext in 53-byte chunks,
 * each encrypted to one k-byte block, the blocks concatenated.
 */
export function rsaEncryptChunked(plaintext: Buffer, publicKey: KeyObject): Buffer {
  const blocks: Buffer[] = [];
  let offset = 0;
  do {
    const chunk = plaintext.subarray(offset, offset + RSA_CHUNK_BYTES);
    blocks.push(publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, chunk));
    offset += RSA_CHUNK_BYTES;
  } while (offset < plaintext.length);
  return Buffer.concat(blocks);
}

export interface AuthHeaderInput {
  /** root@sys password; "" when none is configured (the agent then skips the `Ts` check). */
  password: string;
  /** Exactly the path and `?query` the request is sent with (Go's `RequestURI`, notes §4.1). */
  uri: string;
  /** Expiry as unix seconds; the agent refuses the header once `now > Ts`. */
  expiresAt: number;
  publicKey: KeyObject;
  /** Keys of this request's body; fresh ones are drawn when absent. */
  keys?: AesKeys;
}

/**
 * The JSON the header encrypts. Field names and order as sdk-go writes them; `Ts` is a *string*
 * (a JSON number makes the agent answer 401 `Header.DecryptFailed`, notes §4.1); `Keys` is
 * base64(key ‖ iv), which Go decodes into its `[]byte` field.
 */
export function authHeaderPlaintext(input: Omit<AuthHeaderInput, 'publicKey'> & { keys: AesKeys }): string {
  return JSON.stringify({
    Auth: input.password,
    Ts: String(Math.floor(input.expiresAt)),
    Uri: input.uri,
    Keys: Buffer.concat([input.keys.key, input.keys.iv]).toString('base64'),
  });
}

/** Builds the `X-OCS-Header` value, and returns the AES keys a request body must then use. */
export function buildAuthHeader(input: AuthHeaderInput): { header: string; keys: AesKeys } {
  const keys = input.keys ?? createAesKeys();
  const plaintext = Buffer.from(authHeaderPlaintext({ ...input, keys }), 'utf8');
  return { header: rsaEncryptChunked(plaintext, input.publicKey).toString('base64'), keys };
}

/** A request body as the agent wants it: AES-128-CBC with PKCS#7 padding, as raw base64 text. */
export function encryptBody(body: string, keys: AesKeys): string {
  const cipher = createCipheriv('aes-128-cbc', keys.key, keys.iv);
  return Buffer.concat([cipher.update(body, 'utf8'), cipher.final()]).toString('base64');
}
