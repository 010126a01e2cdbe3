/**
 * The city's cryptographic suite, the one provider of everything it decides (`cryptoSuite(name)`), chosen by
 * the composition root from the configuration: the key a node creates, keyed hashes, e-certificate
 * signatures, the log's and witnesses' SM2 lines, people's data at rest. Keys already registered are used in
 * their own algorithm whatever the suite (`nodeMessageSigner`, `nodeKeyVerifier`): a city moving to `gm`
 * still checks what its Ed25519 keys signed.
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
import type { PersonalDataSealer } from '../core/ports/personal-data';
import { sm4PersonalDataSealer } from '../platform/crypto/gm/personal-data';

export type CryptoSuiteName = 'intl' | 'gm';

export interface CryptoSuite {
  readonly name: CryptoSuiteName;
  /** The algorithm of the key a node of this suite creates. */
  readonly nodeKeyAlgorithm: NodeKeyAlgorithm;
  /** Keyed hashes of subjects, officers and cases (HMAC-SHA-256, or HMAC-SM3). */
  subjectHasher(citySecret: string): SubjectHasher;
  /** What the issuing offices sign e-certificates with. */
  readonly certificates: CertificateKeyScheme;
  /** The SM2 signer of the log's or a witness's extra checkpoint lines, from its seed file's bytes (gm only). */
  readonly ledgerSm2Signer: ((seed: Uint8Array) => Sm2Signer) | undefined;
  /** What seals a department's people's data at rest, from its data key (gm only). */
  readonly personalDataSealer: ((dataKey: Uint8Array) => PersonalDataSealer) | undefined;
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

/** Every scheme a verifier accepts: each key names its own algorithm. */
export const certificateSchemes: readonly CertificateKeyScheme[] = [ed25519Certificates, sm2Certificates];

/** An SM2 signer (SM3, default user ID) from a 32-byte seed file's bytes: the log's and witnesses' SM2 keys. */
export function sm2SignerFromSeed(seed: Uint8Array): Sm2Signer {
  const pair = sm2KeyPairFromSeed(seed);
  return { publicKey: pair.publicKey, sign: sm2SignerFor(pair.privateKey) };
}

const suites: Record<CryptoSuiteName, CryptoSuite> = {
  intl: {
    name: 'intl',
    nodeKeyAlgorithm: 'ed25519',
    subjectHasher: (citySecret) => hmacSubjectHasher(citySecret, 'sha256'),
    certificates: ed25519Certificates,
    ledgerSm2Signer: undefined,
    personalDataSealer: undefined,
  },
  gm: {
    name: 'gm',
    nodeKeyAlgorithm: 'sm2',
    subjectHasher: (citySecret) => hmacSubjectHasher(citySecret, 'sm3'),
    certificates: sm2Certificates,
    ledgerSm2Signer: (seed) => sm2SignerFromSeed(seed),
    personalDataSealer: (dataKey) => sm4PersonalDataSealer(dataKey),
  },
};

/** The suite a configuration names (intl when it names none). */
export function cryptoSuite(name: CryptoSuiteName | undefined): CryptoSuite {
  return suites[name ?? 'intl'];
}
