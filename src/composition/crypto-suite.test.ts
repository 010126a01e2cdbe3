import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CertificateIssuer, type IssuerPublicKey, verifyCertificate } from '../apps/services/service/certificates';
import { loadOrCreateIdentity } from '../node/store/node-keys';
import { pem, rawSignatureToDer, sm2PublicKeyToSpki } from '../platform/crypto/gm/sm2';
import { certificateSchemes, nodeKeyVerifier, nodeMessageSigner, sm2Certificates } from './crypto-suite';

const dir = mkdtempSync(join(tmpdir(), 'hutong-suite-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** OpenSSL 3's command line: SM2 with SM3 and the default user ID, over the message as given. */
function opensslVerifies(publicKey: Uint8Array, message: Uint8Array, signature: Uint8Array): boolean {
  const name = Math.random().toString(16).slice(2);
  const keyFile = join(dir, `${name}.pub.pem`);
  const signatureFile = join(dir, `${name}.sig`);
  writeFileSync(keyFile, pem('PUBLIC KEY', sm2PublicKeyToSpki(publicKey)));
  writeFileSync(signatureFile, rawSignatureToDer(signature));
  try {
    execFileSync(
      'openssl',
      [
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        keyFile,
        '-sigfile',
        signatureFile,
        '-rawin',
        '-digest',
        'sm3',
        '-pkeyopt',
        'distid:1234567812345678',
      ],
      { input: message, stdio: ['pipe', 'pipe', 'pipe'] },
    );
    return true;
  } catch {
    return false;
  }
}

const fields = {
  itemId: 'elderly-card',
  number: 'LNK-2026-000001',
  holderName: '张三',
  birthDate: '1950-01-01',
  issueDate: '2026-12-06',
  validUntil: null,
  tier: null,
  issuerCode: 'mzj',
  issuerName: '清河市民政局',
};

describe('electronic certificates under the 国密 suite', () => {
  const issuer = new CertificateIssuer(
    () => new Uint8Array(32).fill(9),
    [{ code: 'mzj', name: '清河市民政局' }],
    sm2Certificates,
  );
  const keys = issuer.publicKeys();

  it('are signed with SM2 (SM3, default user ID) as OpenSSL checks it, and verify offline', () => {
    expect(keys).toEqual([expect.objectContaining({ issuer: 'mzj', algorithm: 'SM2' })]);
    const payload = issuer.sign(fields);
    expect(verifyCertificate(payload, keys, certificateSchemes)).toMatchObject({ valid: true, certificate: fields });
    // What is signed: the context line and the JSON the payload carries (certificates.ts).
    const [, body, signature] = payload.split('.') as [string, string, string];
    const signed = Buffer.concat([Buffer.from('hutong-certificate/v1\n'), Buffer.from(body, 'base64url')]);
    const publicKey = Buffer.from(keys[0]!.publicKey, 'base64');
    expect(opensslVerifies(publicKey, signed, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(
      opensslVerifies(publicKey, Buffer.concat([signed, Buffer.from(' ')]), Buffer.from(signature, 'base64url')),
    ).toBe(false);
  });

  it('take the algorithm from the registered key, never from the payload', () => {
    const payload = issuer.sign(fields);
    const [prefix, body, signature] = payload.split('.') as [string, string, string];
    const other = Buffer.from(body, 'base64url').toString('utf8').replace('张三', '李四');
    expect(
      verifyCertificate(`${prefix}.${Buffer.from(other).toString('base64url')}.${signature}`, keys, certificateSchemes),
    ).toMatchObject({ valid: false, code: 'BAD_SIGNATURE' });
    // The same key listed as Ed25519 (a wrong or forged key list) is not a key any scheme can use.
    const mislabelled: IssuerPublicKey[] = keys.map((key) => ({ ...key, algorithm: 'Ed25519' }));
    expect(verifyCertificate(payload, mislabelled, certificateSchemes)).toMatchObject({
      valid: false,
      code: 'UNKNOWN_KEY',
    });
    // A verifier that knows only Ed25519 (the intl default) finds no key for an SM2 certificate.
    expect(verifyCertificate(payload, keys)).toMatchObject({ valid: false, code: 'UNKNOWN_KEY' });
  });
});

describe('node keys of either suite', () => {
  it.each(['ed25519', 'sm2'] as const)(
    '%s: signs as the node and verifies under the registered key of its algorithm',
    (algorithm) => {
      const identity = loadOrCreateIdentity(join(dir, `${algorithm}.identity.json`), algorithm);
      expect(identity.algorithm).toBe(algorithm);
      expect(Buffer.from(identity.publicKeyRaw, 'base64')).toHaveLength(algorithm === 'sm2' ? 65 : 32);
      const signer = nodeMessageSigner(identity, () => 'gongan:k1');
      const message = new TextEncoder().encode('"@method": POST');
      const signature = signer.sign(message);
      expect(signer.scheme.alg).toBe(algorithm === 'sm2' ? 'sm2-sm3' : 'ed25519');
      expect(nodeKeyVerifier({ algorithm, publicKey: identity.publicKeyRaw }).verify(message, signature)).toBe(true);
      expect(nodeKeyVerifier({ algorithm, publicKey: identity.publicKeyRaw }).verify(message.slice(1), signature)).toBe(
        false,
      );
      // Reopened, the identity keeps its algorithm whatever the caller asks for (rotate-key changes it).
      expect(loadOrCreateIdentity(join(dir, `${algorithm}.identity.json`), 'ed25519').publicKeyRaw).toBe(
        identity.publicKeyRaw,
      );
    },
  );

  it('an SM2 node key is one OpenSSL reads, and its signatures are ones OpenSSL accepts', () => {
    const identity = loadOrCreateIdentity(join(dir, 'openssl.identity.json'), 'sm2');
    const keyFile = join(dir, 'node.key.pem');
    writeFileSync(keyFile, pem('PRIVATE KEY', identity.privateKeyPkcs8));
    const text = execFileSync('openssl', ['pkey', '-in', keyFile, '-noout', '-text']).toString();
    expect(text).toMatch(/ASN1 OID: SM2/);
    const message = new TextEncoder().encode('seal 1');
    const signature = nodeMessageSigner(identity, () => 'gongan:k1').sign(message);
    expect(opensslVerifies(Buffer.from(identity.publicKeyRaw, 'base64'), message, signature)).toBe(true);
  });
});
