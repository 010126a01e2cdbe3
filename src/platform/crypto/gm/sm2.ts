/**
 * SM2 digital signatures (GB/T 32918.2-2016 §6–7) on the recommended curve (GB/T 32918.5), with the signer's
 * user ID hashed into Z (default `1234567812345678`, GM/T 0009-2012 §10). sm-crypto-v2 does the curve
 * arithmetic; node:crypto's own SM2 signs with an empty ID and cannot take one. Keys travel as raw values
 * (32-byte private scalar, 65-byte uncompressed point) or as the PKCS#8/SPKI DER OpenSSL reads; signatures
 * as the 64-byte r‖s (RFC 9421 §3.3.5 carries ECDSA signatures so) or, for OpenSSL, as DER ECDSA-Sig-Value.
 */
import { createHash } from 'node:crypto';
import { sm2 } from 'sm-crypto-v2';

export const SM2_DEFAULT_USER_ID = '1234567812345678';

export interface Sm2KeyPair {
  /** The private scalar d, 32 bytes. */
  privateKey: Uint8Array;
  /** The public point, uncompressed: 0x04 ‖ x ‖ y (65 bytes). */
  publicKey: Uint8Array;
}

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');
const bytes = (text: string) => new Uint8Array(Buffer.from(text.padStart(text.length + (text.length % 2), '0'), 'hex'));

export function sm2GenerateKeyPair(): Sm2KeyPair {
  const pair = sm2.generateKeyPairHex();
  return { privateKey: bytes(pair.privateKey.padStart(64, '0')), publicKey: bytes(pair.publicKey) };
}

export function sm2PublicKeyOf(privateKey: Uint8Array): Uint8Array {
  if (privateKey.length !== 32) throw new RangeError('SM2 private keys are 32 bytes');
  return bytes(sm2.getPublicKeyFromPrivateKey(hex(privateKey)));
}

/** GB/T 32918.2 §6.1: signs SM3(Z ‖ M); the 64-byte r‖s. */
export function sm2Sign(privateKey: Uint8Array, message: Uint8Array, userId: string = SM2_DEFAULT_USER_ID): Uint8Array {
  return sm2SignerFor(privateKey, userId)(message);
}

/**
 * GB/T 32918.2 §7.1 from the bare point (one check; `sm2VerifierFor` for a key checked often); false (never
 * an exception) for a malformed key or signature.
 */
export function sm2Verify(
  publicKey: Uint8Array,
  message: Uint8Array,
  signature: Uint8Array,
  userId: string = SM2_DEFAULT_USER_ID,
): boolean {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04 || signature.length !== 64) return false;
  try {
    const e = digestFor(publicKey, userId)(message);
    return sm2.doVerifySignature(e, hex(signature), hex(publicKey), { hash: false, der: false });
  } catch {
    return false;
  }
}

/**
 * GB/T 32918.2 §5.5 and §6.1 A1–A2: e = SM3(Z ‖ M), Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ x_G ‖ y_G ‖ x_A ‖ y_A). Z is
 * fixed per key and ID, so it is computed once; e per message with node:crypto's SM3 (OpenSSL).
 */
function digestFor(publicKey: Uint8Array, userId: string): (message: Uint8Array) => Uint8Array {
  const z = sm2.getZ(hex(publicKey), userId);
  return (message) => createHash('sm3').update(z).update(message).digest();
}

/** A signing function for one key: its public key and Z are derived once, not at every signature. */
export function sm2SignerFor(
  privateKey: Uint8Array,
  userId: string = SM2_DEFAULT_USER_ID,
): (message: Uint8Array) => Uint8Array {
  if (privateKey.length !== 32) throw new RangeError('SM2 private keys are 32 bytes');
  const privateHex = hex(privateKey);
  const digest = digestFor(sm2PublicKeyOf(privateKey), userId);
  return (message) =>
    bytes(sm2.doSignature(digest(message), privateHex, { hash: false, der: false }).padStart(128, '0'));
}

/**
 * A verifying function for one public key, with the key's multiples precomputed (verification runs ≈ 6 ×
 * faster than from the bare point); false (never an exception) for a malformed key or signature.
 */
export function sm2VerifierFor(
  publicKey: Uint8Array,
  userId: string = SM2_DEFAULT_USER_ID,
): (message: Uint8Array, signature: Uint8Array) => boolean {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04) return () => false;
  let point: ReturnType<typeof sm2.precomputePublicKey>;
  let digest: (message: Uint8Array) => Uint8Array;
  try {
    point = sm2.precomputePublicKey(hex(publicKey));
    digest = digestFor(publicKey, userId);
  } catch {
    return () => false;
  }
  return (message, signature) => {
    if (signature.length !== 64) return false;
    try {
      return sm2.doVerifySignature(digest(message), hex(signature), point, { hash: false, der: false });
    } catch {
      return false;
    }
  };
}

// RFC 5915 / RFC 5480 structures with id-ecPublicKey and the SM2 curve (1.2.156.10197.1.301), exactly as
// OpenSSL 3 writes them: fixed lengths, so a prefix and the raw values make the whole encoding.
const SPKI_PREFIX = Buffer.from('3059301306072a8648ce3d020106082a811ccf5501822d034200', 'hex');
const PKCS8_PREFIX = Buffer.from('308187020100301306072a8648ce3d020106082a811ccf5501822d046d306b0201010420', 'hex');
const PKCS8_PUBLIC = Buffer.from('a144034200', 'hex');

export function sm2PublicKeyToSpki(publicKey: Uint8Array): Buffer {
  if (publicKey.length !== 65 || publicKey[0] !== 0x04)
    throw new RangeError('SM2 public keys are 65 bytes, 0x04 first');
  return Buffer.concat([SPKI_PREFIX, publicKey]);
}

export function sm2PublicKeyFromSpki(der: Uint8Array): Uint8Array {
  const buffer = Buffer.from(der);
  if (buffer.length !== SPKI_PREFIX.length + 65 || !buffer.subarray(0, SPKI_PREFIX.length).equals(SPKI_PREFIX)) {
    throw new RangeError('not an SM2 SubjectPublicKeyInfo');
  }
  return new Uint8Array(buffer.subarray(SPKI_PREFIX.length));
}

export function sm2PrivateKeyToPkcs8(pair: Sm2KeyPair): Buffer {
  return Buffer.concat([PKCS8_PREFIX, pair.privateKey, PKCS8_PUBLIC, pair.publicKey]);
}

export function sm2PrivateKeyFromPkcs8(der: Uint8Array): Sm2KeyPair {
  const buffer = Buffer.from(der);
  const at = PKCS8_PREFIX.length;
  if (
    buffer.length !== at + 32 + PKCS8_PUBLIC.length + 65 ||
    !buffer.subarray(0, at).equals(PKCS8_PREFIX) ||
    !buffer.subarray(at + 32, at + 32 + PKCS8_PUBLIC.length).equals(PKCS8_PUBLIC)
  ) {
    throw new RangeError('not an SM2 PrivateKeyInfo');
  }
  const pair = {
    privateKey: new Uint8Array(buffer.subarray(at, at + 32)),
    publicKey: new Uint8Array(buffer.subarray(at + 32 + PKCS8_PUBLIC.length)),
  };
  if (!Buffer.from(sm2PublicKeyOf(pair.privateKey)).equals(pair.publicKey)) {
    throw new RangeError('the public key does not belong to the private key');
  }
  return pair;
}

export function pem(label: 'PRIVATE KEY' | 'PUBLIC KEY', der: Uint8Array): string {
  const lines =
    Buffer.from(der)
      .toString('base64')
      .match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/** r‖s (64 bytes) → DER ECDSA-Sig-Value (SEC 1 §C.8), as OpenSSL's pkeyutl reads and writes it. */
export function rawSignatureToDer(raw: Uint8Array): Buffer {
  if (raw.length !== 64) throw new RangeError('r‖s is 64 bytes');
  const integer = (value: Uint8Array) => {
    let start = 0;
    while (start < value.length - 1 && value[start] === 0) start++;
    const trimmed = Buffer.from(value.subarray(start));
    const body = (trimmed[0] as number) & 0x80 ? Buffer.concat([Buffer.of(0), trimmed]) : trimmed;
    return Buffer.concat([Buffer.of(0x02, body.length), body]);
  };
  const content = Buffer.concat([integer(raw.subarray(0, 32)), integer(raw.subarray(32))]);
  return Buffer.concat([Buffer.of(0x30, content.length), content]);
}

/** DER ECDSA-Sig-Value → r‖s (64 bytes); RangeError for anything else. */
export function derSignatureToRaw(der: Uint8Array): Uint8Array {
  const buffer = Buffer.from(der);
  if (buffer[0] !== 0x30 || buffer[1] !== buffer.length - 2) throw new RangeError('not a DER SEQUENCE');
  const out = Buffer.alloc(64);
  let at = 2;
  for (const offset of [0, 32]) {
    if (buffer[at] !== 0x02) throw new RangeError('not a DER INTEGER');
    const length = buffer[at + 1] as number;
    let value = buffer.subarray(at + 2, at + 2 + length);
    if (value.length !== length || length === 0) throw new RangeError('truncated INTEGER');
    while (value.length > 32 && value[0] === 0) value = value.subarray(1);
    if (value.length > 32) throw new RangeError('INTEGER longer than 32 bytes');
    value.copy(out, offset + 32 - value.length);
    at += 2 + length;
  }
  if (at !== buffer.length) throw new RangeError('trailing bytes');
  return new Uint8Array(out);
}

// GB/T 32918.5: the order n of the curve's base point.
const SM2_ORDER = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;

/**
 * An SM2 key pair from a 32-byte seed file's bytes: the seed reduced into [1, n − 2] (GB/T 32918.1 §6.1) is
 * the private scalar, so one seed format serves both suites' key files.
 */
export function sm2KeyPairFromSeed(seed: Uint8Array): Sm2KeyPair {
  if (seed.length !== 32) throw new RangeError('SM2 seeds are 32 bytes');
  const scalar = (BigInt(`0x${hex(seed)}`) % (SM2_ORDER - 2n)) + 1n;
  const privateKey = bytes(scalar.toString(16).padStart(64, '0'));
  return { privateKey, publicKey: sm2PublicKeyOf(privateKey) };
}
