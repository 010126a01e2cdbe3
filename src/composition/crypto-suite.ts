/**
 * The city's cryptographic suite as the composition root wires it: which key algorithm a node holds, and the
 * message signer and verifiers for node keys of either algorithm (Ed25519 under `intl`, SM2 under `gm`).
 */
import type { NodeKey, NodeKeyAlgorithm } from '../core/members/member';
import type { MessageSigner, MessageVerifier } from '../core/ports/message-signature';
import {
  ed25519MessageSigner,
  ed25519MessageVerifier,
  ed25519PublicKeyFromRaw,
} from '../node/exchange/http-signatures';
import type { NodeIdentity } from '../node/store/node-keys';
import { sm2MessageSigner, sm2MessageVerifier } from '../platform/crypto/gm/sm2-messages';
import { sm2KeyPairFromSeed, sm2PrivateKeyFromPkcs8, sm2SignerFor, sm2Verify } from '../platform/crypto/gm/sm2';
import { type CertificateKeyScheme, ed25519Certificates } from '../apps/services/service/certificates';
import type { SubjectHasher } from '../core/ports/node-ports';
import type { Sm2Signer } from '../core/ledger/sm2-note';
import { hmacSubjectHasher } from '../platform/crypto/subject-hasher';

export type CryptoSuiteName = 'intl' | 'gm';

/** The algorithm of the key a node of this suite creates. */
export function nodeKeyAlgorithmOf(suite: CryptoSuiteName | undefined): NodeKeyAlgorithm {
  return suite === 'gm' ? 'sm2' : 'ed25519';
}

/** Keyed hashes of subjects, officers and cases: HMAC-SHA-256, or HMAC-SM3 under the 国密 suite. */
export function subjectHasherOf(citySecret: string, suite: CryptoSuiteName | undefined): SubjectHasher {
  return hmacSubjectHasher(citySecret, suite === 'gm' ? 'sm3' : 'sha256');
}

/** A node's signer for exchange messages, calls to the hub and seals; `keyId` is read late (once registered). */
export function nodeMessageSigner(identity: NodeIdentity, keyId: () => string): MessageSigner {
  return identity.algorithm === 'sm2'
    ? sm2MessageSigner(keyId, sm2PrivateKeyFromPkcs8(identity.privateKeyPkcs8))
    : ed25519MessageSigner(keyId, identity.privateKey);
}

// An SM2 verifier precomputes its key's multiples (milliseconds), so each key's is made once: the hub checks
// every shipment of every node with one, and a city has a few dozen node keys.
const verifiers = new Map<string, MessageVerifier>();

/** A registered node key as a verifier of its algorithm's scheme. */
export function nodeKeyVerifier(key: Pick<NodeKey, 'algorithm' | 'publicKey'>): MessageVerifier {
  const id = `${key.algorithm}:${key.publicKey}`;
  let verifier = verifiers.get(id);
  if (!verifier) {
    verifier =
      key.algorithm === 'sm2'
        ? sm2MessageVerifier(new Uint8Array(Buffer.from(key.publicKey, 'base64')))
        : ed25519MessageVerifier(ed25519PublicKeyFromRaw(key.publicKey));
    if (verifiers.size >= 1024) verifiers.clear();
    verifiers.set(id, verifier);
  }
  return verifier;
}

/**
 * SM2 with SM3 and the default user ID for electronic certificates, the office's key from its seed file
 * (`sm2KeyPairFromSeed`), so the seed files stay as they are under either suite.
 */
export const sm2Certificates: CertificateKeyScheme = {
  algorithm: 'SM2',
  publicKeyLength: 65,
  fromSeed: (seed) => sm2SignerFromSeed(seed),
  verify: (publicKey, message, signature) => sm2Verify(publicKey, message, signature),
};

/** The certificate scheme of the suite (what the issuing offices sign with). */
export function certificateSchemeOf(suite: CryptoSuiteName | undefined): CertificateKeyScheme {
  return suite === 'gm' ? sm2Certificates : ed25519Certificates;
}

/** Every scheme a verifier accepts: each key names its own algorithm. */
export const certificateSchemes: readonly CertificateKeyScheme[] = [ed25519Certificates, sm2Certificates];

/** An SM2 signer (SM3, default user ID) from a 32-byte seed file's bytes: the log's and witnesses' SM2 keys. */
export function sm2SignerFromSeed(seed: Uint8Array): Sm2Signer {
  const pair = sm2KeyPairFromSeed(seed);
  return { publicKey: pair.publicKey, sign: sm2SignerFor(pair.privateKey) };
}
