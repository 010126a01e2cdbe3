// The ledger core's crypto port in the browser: SHA-256 and Ed25519 from the audited, dependency-free
// @noble libraries, synchronous like the core expects (WebCrypto is asynchronous only), so the console
// checks signatures and proofs with the very code the hub, the nodes and the CLI use.
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { LedgerCrypto } from '../../../src/core/ledger/crypto-port';

export const browserLedgerCrypto: LedgerCrypto = {
  sha256: (data) => sha256(data),
  // RFC 8032 as Node's verifier applies it (not the more permissive ZIP-215); never throws on bad input.
  ed25519Verify: (publicKey, message, signature) => {
    try {
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
};
