/**
 * The 国密 suite's message signatures: RFC 9421 with the private algorithm `sm2-sm3` — SM2 over the
 * signature base with the GM/T 0009 default user ID, the value the 64-byte r‖s (as RFC 9421 §3.3.5 carries
 * ECDSA) — and RFC 9530 Content-Digest with the private key `sm3`. Neither name is in the IANA registries:
 * both are documented in docs/API.md as hutong's private extensions.
 */
import type { MessageSignatureScheme, MessageSigner, MessageVerifier } from '../../../core/ports/message-signature';
import { type Sm2KeyPair, sm2SignerFor, sm2VerifierFor } from './sm2';
import { sm3 } from './sm3';

export const sm2Sm3Scheme: MessageSignatureScheme = { alg: 'sm2-sm3', digestAlgorithm: 'sm3', digest: sm3 };

/** `keyId` may be read late (once the hub has registered the key). */
export function sm2MessageSigner(keyId: string | (() => string), pair: Sm2KeyPair): MessageSigner {
  const sign = sm2SignerFor(pair.privateKey);
  return {
    get keyId() {
      return typeof keyId === 'string' ? keyId : keyId();
    },
    scheme: sm2Sm3Scheme,
    sign,
  };
}

/** A registered SM2 public key (65 bytes, uncompressed). */
export function sm2MessageVerifier(publicKey: Uint8Array): MessageVerifier {
  return { scheme: sm2Sm3Scheme, verify: sm2VerifierFor(publicKey) };
}
