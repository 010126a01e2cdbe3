/**
 * RFC 9421 exchange signatures under the 国密 suite, checked against OpenSSL's command line: a request whose
 * signature OpenSSL made over the signature base (a department's SM2 key, `sm2-sm3`) is accepted, and an
 * answer signed here verifies with OpenSSL.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MessageSigner, MessageVerifier } from '../../../core/ports/message-signature';
import { thrownCode } from '../../../core/thrown-code.test-helper';
import {
  ed25519MessageSigner,
  ed25519Scheme,
  type HttpRequestParts,
  NonceCache,
  SignatureError,
  signRequest,
  signResponse,
  verifyRequest,
  verifyResponse,
} from '../../../node/exchange/http-signatures';
import { generateKeyPairSync } from 'node:crypto';
import { pem, sm2GenerateKeyPair, sm2PrivateKeyToPkcs8, sm2PublicKeyToSpki } from './sm2';
import { sm2MessageSigner, sm2MessageVerifier, sm2Sm3Scheme } from './sm2-messages';
import { opensslSigner, opensslVerifier } from './openssl.test-helper';

const now = new Date('2026-12-06T02:00:00Z');
const consumer = sm2GenerateKeyPair();
const provider = sm2GenerateKeyPair();
const dir = mkdtempSync(join(tmpdir(), 'hutong-sm2-http-'));
const files = (name: string, pair: typeof consumer) => {
  const key = join(dir, `${name}.key.pem`);
  const publicKey = join(dir, `${name}.pub.pem`);
  writeFileSync(key, pem('PRIVATE KEY', sm2PrivateKeyToPkcs8(pair)), { mode: 0o600 });
  writeFileSync(publicKey, pem('PUBLIC KEY', sm2PublicKeyToSpki(pair.publicKey)));
  return { key, publicKey };
};
const consumerFiles = files('zhengwu', consumer);
const providerFiles = files('gongan', provider);
function request(): HttpRequestParts {
  return {
    method: 'POST',
    target: '/peer/v1/verify',
    headers: {
      'content-type': 'application/json',
      'hutong-agreement': 'GX-20261206-ABCDEF',
      'hutong-purpose': encodeURIComponent('老年人优待证办理'),
      'hutong-officer': 'zhengwu.clerk01',
      'hutong-case': 'CASE-0001',
      'hutong-request-id': 'req-1',
    },
    body: Buffer.from(JSON.stringify({ subject: '11010519491231002X' })),
  };
}

/** The request's headers signed by `key` now, with `nonce`. */
function signedHeaders(message: HttpRequestParts, key: MessageSigner, nonce: string) {
  return signRequest(message, { key, created: now, nonce, tag: 'hutong-request' });
}

function options(keys: Record<string, MessageVerifier>) {
  const nonces = new NonceCache();
  return {
    now,
    windowSeconds: 300,
    lookupKey: (keyId: string) => keys[keyId],
    rememberNonce: (keyId: string, nonce: string, expiresAt: Date) => nonces.remember(keyId, nonce, expiresAt, now),
  };
}

describe('exchange signatures under the 国密 suite (sm2-sm3, Content-Digest sm3)', () => {
  it('accepts a request signed by OpenSSL’s command line with the department’s SM2 key', () => {
    const signed = request();
    signed.headers = signedHeaders(signed, opensslSigner('zhengwu:k1', consumerFiles.key), 'n-1');
    expect(signed.headers['signature-input']).toContain('alg="sm2-sm3"');
    expect(signed.headers['content-digest']).toMatch(/^sm3=:/);
    expect(verifyRequest(signed, options({ 'zhengwu:k1': sm2MessageVerifier(consumer.publicKey) })).keyId).toBe(
      'zhengwu:k1',
    );
  });

  it('signs answers that OpenSSL’s command line verifies, bound to the request', () => {
    const asked = request();
    asked.headers = signedHeaders(asked, sm2MessageSigner('zhengwu:k1', consumer), 'n-2');
    const body = Buffer.from('{"result":{"answer":true}}');
    const headers = signResponse(
      { status: 200, headers: { 'hutong-request-id': 'req-1', 'content-type': 'application/json' }, body },
      asked,
      { key: sm2MessageSigner('gongan:k1', provider), created: now, tag: 'hutong-response' },
    );
    const answer = { status: 200, headers, body };
    expect(
      verifyResponse(answer, asked, options({ 'gongan:k1': opensslVerifier(providerFiles.publicKey, dir) })).keyId,
    ).toBe('gongan:k1');
    // A changed answer fails OpenSSL's check too.
    expect(
      thrownCode(
        SignatureError,
        () =>
          verifyResponse(
            { ...answer, status: 403 },
            asked,
            options({ 'gongan:k1': opensslVerifier(providerFiles.publicKey, dir) }),
          ),
        'OK',
      ),
    ).toBe('SIGNATURE_INVALID');
  });

  it('lets the registered key decide the algorithm: another alg, or an sha-256-only digest, is refused', () => {
    // Signed with Ed25519 under a key id whose registered key is SM2: refused by name, not tried.
    const ed25519 = request();
    ed25519.headers = signedHeaders(
      ed25519,
      ed25519MessageSigner('zhengwu:k1', generateKeyPairSync('ed25519').privateKey),
      'n-3',
    );
    const keys = { 'zhengwu:k1': sm2MessageVerifier(consumer.publicKey) };
    expect(thrownCode(SignatureError, () => verifyRequest(ed25519, options(keys)), 'OK')).toBe(
      'SIGNATURE_ALGORITHM_UNSUPPORTED',
    );
    // A valid SM2 signature over a Content-Digest that carries only sha-256 does not satisfy the sm3 scheme.
    const sm2 = request();
    const sha256Digest = { ...sm2Sm3Scheme, digestAlgorithm: 'sha-256', digest: ed25519Scheme.digest };
    sm2.headers = signedHeaders(sm2, { ...sm2MessageSigner('zhengwu:k1', consumer), scheme: sha256Digest }, 'n-4');
    expect(sm2.headers['content-digest']).toMatch(/^sha-256=:/);
    expect(thrownCode(SignatureError, () => verifyRequest(sm2, options(keys)), 'OK')).toBe('DIGEST_MISMATCH');
    const proper = request();
    proper.headers = signedHeaders(proper, sm2MessageSigner('zhengwu:k1', consumer), 'n-5');
    expect(verifyRequest(proper, options(keys)).keyId).toBe('zhengwu:k1');
  });
});
