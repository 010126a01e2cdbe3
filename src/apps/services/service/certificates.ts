/**
 * Electronic certificates (电子证照): a compact signed payload that fits a QR code and verifies offline
 * with the issuing office's public key.
 *
 * Payload: `HTC1.<base64url(JSON)>.<base64url(signature)>` — Ed25519, or under the 国密 suite SM2 with SM3
 * and the default user ID (GB/T 32918, the 64-byte r‖s); the issuer key's registered algorithm decides which,
 * never the payload. The signature covers the bytes
 * `hutong-certificate/v1\n` ‖ JSON, so it cannot be mistaken for any other signed message of the city. The
 * JSON holds short keys: v (version 1), t (item id), no (number), n (holder's name), b (birth date),
 * d (issue date), x (valid until, optional), l (tier, optional), c (issuer code), i (issuer name),
 * k (key id: the first 8 bytes of SHA-256 of the raw public key, hex). A verifier reads the bytes it
 * checked, so no canonical form is needed.
 */
import { createHash, createPrivateKey, createPublicKey, type KeyObject, sign, verify } from 'node:crypto';
import QRCode from 'qrcode';
import { ServiceError } from './errors';

export interface CertificateFields {
  itemId: string;
  number: string;
  holderName: string;
  birthDate: string;
  issueDate: string;
  validUntil: string | null;
  tier: string | null;
  issuerCode: string;
  issuerName: string;
}

export type CertificateAlgorithm = 'Ed25519' | 'SM2';

export interface IssuerPublicKey {
  issuer: string;
  name: string;
  keyId: string;
  algorithm: CertificateAlgorithm;
  /** Raw public key, base64: 32 bytes Ed25519, or 65 bytes uncompressed SM2. */
  publicKey: string;
}

/**
 * How an issuing office's key signs and a verifier checks: the composition root chooses the city suite's
 * (Ed25519 here; SM2 from src/composition/crypto-suite.ts), so this module holds no 国密 code.
 */
export interface CertificateKeyScheme {
  algorithm: CertificateAlgorithm;
  publicKeyLength: number;
  /** The office's key from its 32-byte seed (kept by the composition). */
  fromSeed(seed: Uint8Array): { publicKey: Uint8Array; sign(message: Uint8Array): Uint8Array };
  /** False (never an exception) for a signature that does not verify. */
  verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

const PREFIX = 'HTC1';
const CONTEXT = Buffer.from('hutong-certificate/v1\n', 'utf8');
// PKCS#8 / SPKI wrappers of a raw Ed25519 seed / public key (RFC 8410).
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex');
const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex');

export function keyIdOf(rawPublicKey: Uint8Array): string {
  return createHash('sha256').update(rawPublicKey).digest('hex').slice(0, 16);
}

function publicKeyFromRaw(raw: Uint8Array): KeyObject {
  return createPublicKey({ key: Buffer.concat([SPKI_PREFIX, raw]), format: 'der', type: 'spki' });
}

/** RFC 8032 Ed25519 through node:crypto: the intl suite's certificates. */
export const ed25519Certificates: CertificateKeyScheme = {
  algorithm: 'Ed25519',
  publicKeyLength: 32,
  fromSeed(seed) {
    const privateKey = createPrivateKey({
      key: Buffer.concat([PKCS8_PREFIX, Buffer.from(seed)]),
      format: 'der',
      type: 'pkcs8',
    });
    const publicKey = createPublicKey(privateKey).export({ format: 'der', type: 'spki' }).subarray(SPKI_PREFIX.length);
    return { publicKey, sign: (message) => sign(null, message, privateKey) };
  },
  verify(publicKey, message, signature) {
    try {
      return signature.length === 64 && verify(null, message, publicKeyFromRaw(publicKey), signature);
    } catch {
      return false;
    }
  },
};

/** The signing keys of the issuing offices, one per issuer code, from 32-byte seeds the composition keeps. */
export class CertificateIssuer {
  private readonly keys = new Map<
    string,
    { name: string; sign(message: Uint8Array): Uint8Array; publicKey: IssuerPublicKey }
  >();

  constructor(
    private readonly seedFor: (issuerCode: string) => Uint8Array,
    issuers: readonly { code: string; name: string }[],
    private readonly scheme: CertificateKeyScheme = ed25519Certificates,
  ) {
    for (const issuer of issuers) this.keyOf(issuer.code, issuer.name);
  }

  private keyOf(code: string, name: string) {
    let key = this.keys.get(code);
    if (!key) {
      const pair = this.scheme.fromSeed(this.seedFor(code));
      const raw = Buffer.from(pair.publicKey);
      key = {
        name,
        sign: pair.sign,
        publicKey: {
          issuer: code,
          name,
          keyId: keyIdOf(raw),
          algorithm: this.scheme.algorithm,
          publicKey: raw.toString('base64'),
        },
      };
      this.keys.set(code, key);
    }
    return key;
  }

  /** The schemes a verifier of this issuer's certificates needs. */
  get schemes(): readonly CertificateKeyScheme[] {
    return [this.scheme];
  }

  publicKeys(): IssuerPublicKey[] {
    return [...this.keys.values()].map((key) => key.publicKey);
  }

  sign(fields: CertificateFields): string {
    const key = this.keyOf(fields.issuerCode, fields.issuerName);
    const body: Record<string, string | number> = {
      v: 1,
      t: fields.itemId,
      no: fields.number,
      n: fields.holderName,
      b: fields.birthDate,
      d: fields.issueDate,
      ...(fields.validUntil ? { x: fields.validUntil } : {}),
      ...(fields.tier ? { l: fields.tier } : {}),
      c: fields.issuerCode,
      i: fields.issuerName,
      k: key.publicKey.keyId,
    };
    const json = Buffer.from(JSON.stringify(body), 'utf8');
    const signature = Buffer.from(key.sign(Buffer.concat([CONTEXT, json])));
    return `${PREFIX}.${json.toString('base64url')}.${signature.toString('base64url')}`;
  }
}

export type VerifyOutcome =
  | { valid: true; certificate: CertificateFields; keyId: string }
  | { valid: false; code: 'MALFORMED' | 'UNKNOWN_KEY' | 'BAD_SIGNATURE'; detail: string };

function fieldsOf(body: Record<string, unknown>): CertificateFields | null {
  const text = (key: string) => (typeof body[key] === 'string' ? (body[key] as string) : null);
  const required = ['t', 'no', 'n', 'b', 'd', 'c', 'i', 'k'].map(text);
  if (body.v !== 1 || required.some((value) => value === null)) return null;
  return {
    itemId: text('t')!,
    number: text('no')!,
    holderName: text('n')!,
    birthDate: text('b')!,
    issueDate: text('d')!,
    validUntil: text('x'),
    tier: text('l'),
    issuerCode: text('c')!,
    issuerName: text('i')!,
  };
}

function isCanonicalBase64url(text: string): boolean {
  return /^[A-Za-z0-9_-]+$/.test(text) && Buffer.from(text, 'base64url').toString('base64url') === text;
}

/** Decodes a payload without checking it (for display); throws INVALID_CERTIFICATE when malformed. */
export function decodeCertificate(payload: string): CertificateFields & { keyId: string } {
  const parts = payload.trim().split('.');
  if (parts.length !== 3 || parts[0] !== PREFIX) {
    throw new ServiceError('INVALID_CERTIFICATE', 'not a HTC1 certificate payload');
  }
  // Node decodes base64url leniently (stray characters, non-zero padding bits): only the one canonical
  // spelling is accepted, so a certificate has exactly one valid payload.
  if (!parts.slice(1).every(isCanonicalBase64url)) {
    throw new ServiceError('INVALID_CERTIFICATE', 'the payload is not canonical base64url');
  }
  let body: Record<string, unknown>;
  try {
    body = JSON.parse(Buffer.from(parts[1]!, 'base64url').toString('utf8')) as Record<string, unknown>;
  } catch {
    throw new ServiceError('INVALID_CERTIFICATE', 'the payload body is not JSON');
  }
  const fields = body && typeof body === 'object' ? fieldsOf(body) : null;
  if (!fields) throw new ServiceError('INVALID_CERTIFICATE', 'the payload lacks required fields');
  return { ...fields, keyId: String(body.k) };
}

/**
 * Verifies a payload offline against known issuer keys, each in its registered algorithm (one of `schemes`;
 * a key of an algorithm not given is unknown).
 */
export function verifyCertificate(
  payload: string,
  keys: readonly IssuerPublicKey[],
  schemes: readonly CertificateKeyScheme[] = [ed25519Certificates],
): VerifyOutcome {
  let decoded: ReturnType<typeof decodeCertificate>;
  try {
    decoded = decodeCertificate(payload);
  } catch (error) {
    return { valid: false, code: 'MALFORMED', detail: (error as Error).message };
  }
  const [, body, signature] = payload.trim().split('.') as [string, string, string];
  const key = keys.find((candidate) => candidate.keyId === decoded.keyId);
  if (!key) return { valid: false, code: 'UNKNOWN_KEY', detail: `no issuer key ${decoded.keyId}` };
  const scheme = schemes.find((candidate) => candidate.algorithm === key.algorithm);
  if (!scheme) return { valid: false, code: 'UNKNOWN_KEY', detail: `issuer key ${key.keyId} is ${key.algorithm}` };
  const raw = Buffer.from(key.publicKey, 'base64');
  if (raw.length !== scheme.publicKeyLength || keyIdOf(raw) !== key.keyId) {
    return { valid: false, code: 'UNKNOWN_KEY', detail: `issuer key ${key.keyId} does not match its id` };
  }
  const signatureBytes = Buffer.from(signature, 'base64url');
  const ok = scheme.verify(raw, Buffer.concat([CONTEXT, Buffer.from(body, 'base64url')]), signatureBytes);
  if (!ok) return { valid: false, code: 'BAD_SIGNATURE', detail: 'the signature does not verify' };
  const { keyId, ...certificate } = decoded;
  return { valid: true, certificate, keyId };
}

/** The QR code of a payload, as SVG text and as PNG. */
export async function qrSvg(payload: string): Promise<string> {
  return QRCode.toString(payload, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

export async function qrPng(payload: string): Promise<Buffer> {
  return QRCode.toBuffer(payload, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 6 });
}
