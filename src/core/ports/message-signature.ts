/**
 * How a message signature is made and checked, whatever the city's cryptographic suite: RFC 9421's `alg`
 * with the RFC 9530 Content-Digest algorithm that travels with it — `ed25519` with `sha-256` (intl), or the
 * private `sm2-sm3` with `sm3` (gm, GB/T 32918 / GB/T 32905). The exchange signs and verifies through these
 * objects only; the composition root chooses the implementations (node:crypto, sm-crypto-v2, an HSM).
 */
export interface MessageSignatureScheme {
  /** RFC 9421 §3.3 `alg` parameter. */
  readonly alg: string;
  /** RFC 9530 §5 Content-Digest key. */
  readonly digestAlgorithm: string;
  digest(data: Uint8Array): Uint8Array;
}

/** A private key that signs messages (file, HSM): `keyId` is `<member>:<key id at the hub>`. */
export interface MessageSigner {
  readonly keyId: string;
  readonly scheme: MessageSignatureScheme;
  sign(message: Uint8Array): Uint8Array;
}

/** A public key that checks them; false (never an exception) for a signature that does not verify. */
export interface MessageVerifier {
  readonly scheme: MessageSignatureScheme;
  verify(message: Uint8Array, signature: Uint8Array): boolean;
}
