/**
 * Ports through which the pure ledger core reaches cryptography. The core never imports a crypto library:
 * the composition root injects an implementation (see src/platform/crypto/ledger-crypto.ts).
 */

/** Primitives every verifier needs. Implementations must be stateless and safe to call unbound. */
export interface LedgerCrypto {
  /** SHA-256 of `data`; must return exactly 32 bytes. */
  sha256(data: Uint8Array): Uint8Array;
  /** RFC 8032 Ed25519 verification; must return false (not throw) for malformed keys or signatures. */
  ed25519Verify(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
  /**
   * GB/T 32918.2 SM2 verification with SM3 and the default user ID (65-byte uncompressed key, 64-byte r‖s),
   * for seals by a 国密 city's nodes; false (not a throw) for malformed input. Absent where no SM2 seal is
   * checked (the console's proofs): such a seal then does not verify.
   */
  sm2Verify?(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean;
}

/** Only SHA-256 is needed for Merkle work; accepting the narrower type lets callers pass a hasher alone. */
export type Sha256 = Pick<LedgerCrypto, 'sha256'>;

/** A private Ed25519 key held outside the core (file, HSM, KMS). Returns the 64-byte RFC 8032 signature. */
export interface Ed25519Signer {
  readonly publicKey: Uint8Array;
  sign(message: Uint8Array): Uint8Array;
}
