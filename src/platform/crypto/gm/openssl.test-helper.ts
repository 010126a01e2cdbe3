/**
 * OpenSSL 3's command line as a department's or an auditor's SM2 tool, for tests: it signs and checks
 * exchange signature bases with a PEM key file, SM3 and the default user ID (`sm2-sm3`).
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { MessageSigner, MessageVerifier } from '../../../core/ports/message-signature';
import { derSignatureToRaw, rawSignatureToDer, SM2_DEFAULT_USER_ID } from './sm2';
import { sm2Sm3Scheme } from './sm2-messages';

export const opensslSm3Options = ['-rawin', '-digest', 'sm3', '-pkeyopt', `distid:${SM2_DEFAULT_USER_ID}`];

/** A department signing with OpenSSL's command line (its key as a PEM file). */
export function opensslSigner(keyId: string, keyFile: string): MessageSigner {
  return {
    keyId,
    scheme: sm2Sm3Scheme,
    sign: (base) =>
      derSignatureToRaw(
        execFileSync('openssl', ['pkeyutl', '-sign', '-inkey', keyFile, ...opensslSm3Options], { input: base }),
      ),
  };
}

/** OpenSSL's command line checking a signature with a public key file (signatures written under `dir`). */
export function opensslVerifier(publicKeyFile: string, dir: string): MessageVerifier {
  return {
    scheme: sm2Sm3Scheme,
    verify: (base, signature) => {
      const signatureFile = join(dir, `sig-${Math.random().toString(16).slice(2)}.der`);
      writeFileSync(signatureFile, rawSignatureToDer(signature));
      try {
        execFileSync(
          'openssl',
          ['pkeyutl', '-verify', '-pubin', '-inkey', publicKeyFile, '-sigfile', signatureFile, ...opensslSm3Options],
          { input: base, stdio: ['pipe', 'pipe', 'pipe'] },
        );
        return true;
      } catch {
        return false;
      }
    },
  };
}
