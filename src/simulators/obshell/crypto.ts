/**
 * The agent side of obshell's hybrid encryption (notes §4.1, §4.3): the RSA key pair it serves at
 * `/api/v1/secret`, and `X-OCS-Header` decryption with Go's semantics (base64 → k-byte blocks →
 * PKCS#1 v1.5 → JSON into the `HttpHeader` struct). Failures throw `GoError` carrying the text the
 * Go code would put after "Decrypt http header failed: ".
 */
import { constants, generateKeyPairSync, privateDecrypt, type KeyObject } from 'node:crypto';

/** An error whose message mimics the Go error text the agent would report. */
export class GoError extends Error {
  override readonly name = 'GoError';
}

export class AgentKeyPair {
  /** Standard base64 of the DER PKCS#1 RSAPublicKey (`x509.MarshalPKCS1PublicKey`). */
  readonly publicKeyBase64: string;
  /** k: the modulus size in bytes, the size of each ciphertext block. */
  readonly blockBytes: number;
  private readonly privateKey: KeyObject;

  constructor(bits: 512 | 1024) {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: bits });
    this.privateKey = privateKey;
    this.blockBytes = bits / 8;
    this.publicKeyBase64 = publicKey.export({ type: 'pkcs1', format: 'der' }).toString('base64');
  }

  /**
   * Go's `DecryptAndReturnBytes`: split into k-byte blocks, `rsa.DecryptPKCS1v15` each, concatenate.
   * Node ≥ 20.11.1 refuses `privateDecrypt` with RSA_PKCS1_PADDING (CVE-2023-46809, notes §4.4), so
   * each block is decrypted raw (RSA_NO_PADDING) and the `00 02 PS 00 M` padding removed here.
   */
  decrypt(base64Text: string): Buffer {
    const raw = goBase64Decode(base64Text);
    const out: Buffer[] = [];
    for (let offset = 0; offset < raw.length; offset += this.blockBytes) {
      out.push(this.decryptBlock(raw.subarray(offset, offset + this.blockBytes)));
    }
    return Buffer.concat(out);
  }

  private decryptBlock(block: Buffer): Buffer {
    const fail = () => new GoError('crypto/rsa: decryption error');
    if (block.length !== this.blockBytes) throw fail();
    let em: Buffer;
    try {
      em = privateDecrypt({ key: this.privateKey, padding: constants.RSA_NO_PADDING }, block);
    } catch {
      throw fail(); // e.g. ciphertext ≥ modulus
    }
    // EM = 0x00 ‖ 0x02 ‖ PS (≥ 8 non-zero bytes) ‖ 0x00 ‖ M
    if (em.length !== this.blockBytes || em[0] !== 0x00 || em[1] !== 0x02) throw fail();
    const separator = em.indexOf(0x00, 2);
    if (separator < 10) throw fail();
    return em.subarray(separator + 1);
  }
}

/** Go's `base64.StdEncoding.DecodeString`: padding required, CR and LF ignored, nothing else tolerated. */
export function goBase64Decode(text: string): Buffer {
  const cleaned = text.replace(/[\r\n]/g, '');
  const bad = cleaned.search(/[^A-Za-z0-9+/=]/);
  if (bad !== -1) throw new GoError(`illegal base64 data at input byte ${bad}`);
  const padStart = cleaned.indexOf('=');
  const misplacedPad = padStart !== -1 && (cleaned.length - padStart > 2 || /[^=]/.test(cleaned.slice(padStart)));
  if (misplacedPad || cleaned.length % 4 !== 0) {
    throw new GoError(`illegal base64 data at input byte ${padStart !== -1 ? padStart : cleaned.length - (cleaned.length % 4)}`);
  }
  return Buffer.from(cleaned, 'base64');
}

/** The fields of obshell's `secure.HttpHeader` the simulator uses. */
export interface DecodedHeader {
  auth: string;
  ts: string;
  uri: string;
  keys: Buffer | null;
  sessionId: string;
}

/** Go type of each `HttpHeader` field, by its case-folded JSON name (Go matches names case-insensitively). */
const HEADER_FIELDS: Record<string, { name: string; type: 'string' | '[]uint8' | 'int' | 'meta.AgentInfo' }> = {
  session_id: { name: 'SessionID', type: 'string' },
  auth: { name: 'Auth', type: 'string' },
  ts: { name: 'Ts', type: 'string' },
  token: { name: 'Token', type: 'string' },
  ssotoken: { name: 'SSOToken', type: 'string' },
  uri: { name: 'Uri', type: 'string' },
  keys: { name: 'Keys', type: '[]uint8' },
  sha256: { name: 'Sha256', type: 'string' },
  forwardtype: { name: 'ForwardType', type: 'int' },
  forwardagent: { name: 'ForwardAgent', type: 'meta.AgentInfo' },
};

/**
 * `json.Unmarshal(plaintext, &HttpHeader{})`: unknown fields ignored, `null` leaves a field empty,
 * a value of the wrong JSON type (e.g. a numeric `Ts`) is an error (notes §4.1).
 */
export function decodeHeaderJson(plaintext: Buffer): DecodedHeader {
  const header: DecodedHeader = { auth: '', ts: '', uri: '', keys: null, sessionId: '' };
  const text = plaintext.toString('utf8');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    const first = text.trimStart()[0];
    throw new GoError(
      first === undefined || '{["-0123456789tfn'.includes(first)
        ? 'unexpected end of JSON input'
        : `invalid character '${first}' looking for beginning of value`,
    );
  }
  if (value === null) return header;
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new GoError(`json: cannot unmarshal ${goJsonKind(value)} into Go value of type secure.HttpHeader`);
  }
  for (const [key, fieldValue] of Object.entries(value)) {
    const field = HEADER_FIELDS[key.toLowerCase()];
    if (!field || fieldValue === null) continue;
    const kind = goJsonKind(fieldValue);
    const expected = { string: 'string', '[]uint8': 'string', int: 'number', 'meta.AgentInfo': 'object' }[field.type];
    if (kind !== expected || (field.type === 'int' && !Number.isInteger(fieldValue))) {
      throw new GoError(`json: cannot unmarshal ${kind} into Go struct field HttpHeader.${field.name} of type ${field.type}`);
    }
    if (field.name === 'Auth') header.auth = fieldValue as string;
    else if (field.name === 'Ts') header.ts = fieldValue as string;
    else if (field.name === 'Uri') header.uri = fieldValue as string;
    else if (field.name === 'SessionID') header.sessionId = fieldValue as string;
    else if (field.name === 'Keys') header.keys = goBase64Decode(fieldValue as string);
  }
  return header;
}

function goJsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value; // 'string' | 'number' | 'object'
}
