import { execFileSync } from 'node:child_process';
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  derSignatureToRaw,
  pem,
  rawSignatureToDer,
  SM2_DEFAULT_USER_ID,
  sm2GenerateKeyPair,
  sm2PrivateKeyFromPkcs8,
  sm2PrivateKeyToPkcs8,
  sm2PublicKeyFromSpki,
  sm2PublicKeyOf,
  sm2PublicKeyToSpki,
  sm2Sign,
  sm2SignerFor,
  sm2Verify,
  sm2VerifierFor,
} from './sm2';
import { sm3 } from './sm3';

const fromHex = (value: string) => new Uint8Array(Buffer.from(value, 'hex'));
const text = (value: string) => new TextEncoder().encode(value);

// GM/T 0003.5-2012 (GB/T 32918.5-2017) Annex A: the signature example on the recommended curve.
const example = {
  d: fromHex('3945208F7B2144B13F36E38AC6D39F95889393692860B51A42FB81EF4DF7C5B8'),
  publicKey: fromHex(
    '0409F9DF311E5421A150DD7D161E4BC5C672179FAD1833FC076BB08FF356F35020CCEA490CE26775A52DC6EA718CC1AA600AED05FBF35E084A6632F6072DA9AD13',
  ),
  message: text('message digest'),
  z: 'b2e14c5c79c6df5b85f4fe7ed8db7a262b9da7e07ccb0ea9f4747b8ccda8a4f3',
  e: 'f0b43e94ba45accaace692ed534382eb17e6ab5a19ce7b31f4486fdfc0d28640',
  signature: fromHex(
    'F5A03B0648D2C4630EEAC513E1BB81A15944DA3827D5B74143AC7EACEEE720B3B1B6AA29DF212FD8763182BC0D421CA1BB9038FD1F7F42D4840B69C485BBC1AA',
  ),
};
// GB/T 32918.5 §4: the recommended curve's a, b and base point.
const curve = {
  a: 'fffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffc',
  b: '28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93',
  gx: '32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7',
  gy: 'bc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0',
};

function openssl(args: string[], input?: Uint8Array): string {
  return execFileSync('openssl', args, { input, stdio: ['pipe', 'pipe', 'pipe'] }).toString();
}

describe('SM2 signatures (GB/T 32918.2, user ID per GM/T 0009)', () => {
  it('derives the example’s public key, Z and e, and verifies its signature', () => {
    expect(sm2PublicKeyOf(example.d)).toEqual(example.publicKey);
    // Z = SM3(ENTL ‖ ID ‖ a ‖ b ‖ xG ‖ yG ‖ xA ‖ yA), computed here independently of the library.
    const id = text(SM2_DEFAULT_USER_ID);
    const z = sm3(
      Buffer.concat([
        Buffer.from([0, id.length * 8]),
        id,
        ...[curve.a, curve.b, curve.gx, curve.gy].map((value) => Buffer.from(value, 'hex')),
        example.publicKey.subarray(1),
      ]),
    );
    expect(Buffer.from(z).toString('hex')).toBe(example.z);
    expect(Buffer.from(sm3(Buffer.concat([z, example.message]))).toString('hex')).toBe(example.e);
    expect(sm2Verify(example.publicKey, example.message, example.signature)).toBe(true);
  });

  it('refuses another message, another user ID, another key and malformed input, without throwing', () => {
    expect(sm2Verify(example.publicKey, text('message digesT'), example.signature)).toBe(false);
    expect(sm2Verify(example.publicKey, example.message, example.signature, 'ALICE123@YAHOO.COM')).toBe(false);
    expect(sm2Verify(sm2GenerateKeyPair().publicKey, example.message, example.signature)).toBe(false);
    expect(sm2Verify(example.publicKey.subarray(1), example.message, example.signature)).toBe(false);
    expect(sm2Verify(example.publicKey, example.message, example.signature.subarray(1))).toBe(false);
    expect(sm2Verify(new Uint8Array(65).fill(4), example.message, example.signature)).toBe(false);
  });

  it('signs and verifies alike through per-key functions (public key derived once, its multiples precomputed)', () => {
    expect(sm2VerifierFor(example.publicKey)(example.message, example.signature)).toBe(true);
    expect(sm2VerifierFor(example.publicKey, 'ALICE123@YAHOO.COM')(example.message, example.signature)).toBe(false);
    expect(sm2VerifierFor(example.publicKey)(example.message, example.signature.subarray(2))).toBe(false);
    expect(sm2VerifierFor(new Uint8Array(65).fill(4))(example.message, example.signature)).toBe(false);
    const signed = sm2SignerFor(example.d)(example.message);
    expect(sm2Verify(example.publicKey, example.message, signed)).toBe(true);
  });

  it('signs what it verifies, with fresh randomness each time', () => {
    const pair = sm2GenerateKeyPair();
    const message = text('GET /peer/v1/verify');
    const first = sm2Sign(pair.privateKey, message);
    expect(first).toHaveLength(64);
    expect(sm2Verify(pair.publicKey, message, first)).toBe(true);
    expect(Buffer.from(first).equals(Buffer.from(sm2Sign(pair.privateKey, message)))).toBe(false);
  });

  it('writes keys as OpenSSL and node:crypto read them, and reads them back', () => {
    const pair = sm2GenerateKeyPair();
    const pkcs8 = sm2PrivateKeyToPkcs8(pair);
    const spki = sm2PublicKeyToSpki(pair.publicKey);
    // node:crypto (OpenSSL) parses it and writes back the same bytes.
    expect(
      createPrivateKey({ key: pkcs8, format: 'der', type: 'pkcs8' }).export({ format: 'der', type: 'pkcs8' }),
    ).toEqual(pkcs8);
    expect(createPublicKey({ key: spki, format: 'der', type: 'spki' }).export({ format: 'der', type: 'spki' })).toEqual(
      spki,
    );
    expect(sm2PrivateKeyFromPkcs8(pkcs8)).toEqual(pair);
    expect(sm2PublicKeyFromSpki(spki)).toEqual(pair.publicKey);
    // What OpenSSL generates, this module reads.
    const generated = openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:SM2']);
    const der = createPrivateKey(generated).export({ format: 'der', type: 'pkcs8' });
    const read = sm2PrivateKeyFromPkcs8(der);
    expect(sm2PublicKeyOf(read.privateKey)).toEqual(read.publicKey);
    expect(() => sm2PrivateKeyFromPkcs8(Buffer.concat([der.subarray(0, 40), Buffer.alloc(der.length - 40)]))).toThrow(
      RangeError,
    );
  });

  it('converts r‖s to DER and back, and refuses what is not a signature', () => {
    for (let i = 0; i < 20; i++) {
      const raw = sm2Sign(sm2GenerateKeyPair().privateKey, text(`m${i}`));
      expect(derSignatureToRaw(rawSignatureToDer(raw))).toEqual(raw);
    }
    expect(() => derSignatureToRaw(Buffer.from('3006020101020101ff', 'hex'))).toThrow(RangeError);
    expect(() => derSignatureToRaw(Buffer.from('300402010102', 'hex'))).toThrow(RangeError);
  });

  it('interoperates with OpenSSL’s command line in both directions (pkeyutl -rawin -digest sm3, distid)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'hutong-sm2-'));
    const pair = sm2GenerateKeyPair();
    const keyFile = join(dir, 'key.pem');
    const publicFile = join(dir, 'public.pem');
    const messageFile = join(dir, 'message');
    const signatureFile = join(dir, 'signature.der');
    writeFileSync(keyFile, pem('PRIVATE KEY', sm2PrivateKeyToPkcs8(pair)), { mode: 0o600 });
    writeFileSync(publicFile, pem('PUBLIC KEY', sm2PublicKeyToSpki(pair.publicKey)));
    const message = text('@method: POST\n@path: /peer/v1/verify\n"hutong-purpose": 老年人优待证办理');
    writeFileSync(messageFile, message);
    const common = ['-rawin', '-digest', 'sm3', '-pkeyopt', `distid:${SM2_DEFAULT_USER_ID}`, '-in', messageFile];

    // Ours → OpenSSL verifies.
    writeFileSync(signatureFile, rawSignatureToDer(sm2Sign(pair.privateKey, message)));
    expect(
      openssl(['pkeyutl', '-verify', '-pubin', '-inkey', publicFile, '-sigfile', signatureFile, ...common]),
    ).toMatch(/Signature Verified Successfully/);
    // Under another user ID OpenSSL refuses it too.
    expect(() =>
      openssl([
        'pkeyutl',
        '-verify',
        '-pubin',
        '-inkey',
        publicFile,
        '-sigfile',
        signatureFile,
        ...common.map((arg) => (arg.startsWith('distid:') ? 'distid:ALICE123@YAHOO.COM' : arg)),
      ]),
    ).toThrow();

    // OpenSSL signs → ours verifies.
    openssl(['pkeyutl', '-sign', '-inkey', keyFile, '-out', signatureFile, ...common]);
    const signed = derSignatureToRaw(readFileSync(signatureFile));
    expect(sm2Verify(pair.publicKey, message, signed)).toBe(true);
    expect(sm2Verify(pair.publicKey, text('another message'), signed)).toBe(false);
  });
});
