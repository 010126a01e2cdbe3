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
import { sm2PrivateKeyFromPkcs8 } from '../platform/crypto/gm/sm2';
import type { SubjectHasher } from '../core/ports/node-ports';
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

/** A registered node key as a verifier of its algorithm's scheme. */
export function nodeKeyVerifier(key: Pick<NodeKey, 'algorithm' | 'publicKey'>): MessageVerifier {
  return key.algorithm === 'sm2'
    ? sm2MessageVerifier(new Uint8Array(Buffer.from(key.publicKey, 'base64')))
    : ed25519MessageVerifier(ed25519PublicKeyFromRaw(key.publicKey));
}
