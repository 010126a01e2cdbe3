import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  CertificateIssuer,
  type CertificateFields,
  decodeCertificate,
  qrPng,
  qrSvg,
  verifyCertificate,
} from './certificates';

const seeds = new Map<string, Uint8Array>();
const seedFor = (code: string) => {
  if (!seeds.has(code)) seeds.set(code, randomBytes(32));
  return seeds.get(code)!;
};

const fields: CertificateFields = {
  itemId: 'elderly-card',
  number: 'QHYDE2026000001',
  holderName: '王秀英',
  birthDate: '1950-01-01',
  issueDate: '2026-06-30',
  validUntil: null,
  tier: null,
  issuerCode: 'minzheng',
  issuerName: '清河市民政局',
};

describe('electronic certificates', () => {
  const issuer = new CertificateIssuer(seedFor, [{ code: 'minzheng', name: '清河市民政局' }]);

  it('signs a compact payload that verifies offline with the published key', () => {
    const payload = issuer.sign(fields);
    expect(payload).toMatch(/^HTC1\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{86}$/);
    expect(payload.length).toBeLessThan(400);
    const outcome = verifyCertificate(payload, issuer.publicKeys());
    expect(outcome).toEqual({ valid: true, certificate: fields, keyId: issuer.publicKeys()[0]!.keyId });
    expect(decodeCertificate(payload).holderName).toBe('王秀英');
  });

  it('rejects a changed field, another office key and garbage', () => {
    const payload = issuer.sign(fields);
    const [prefix, body, signature] = payload.split('.') as [string, string, string];
    const json = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
    json.n = '王秀芳';
    const forged = `${prefix}.${Buffer.from(JSON.stringify(json)).toString('base64url')}.${signature}`;
    expect(verifyCertificate(forged, issuer.publicKeys())).toMatchObject({ valid: false, code: 'BAD_SIGNATURE' });
    const other = new CertificateIssuer(() => randomBytes(32), [{ code: 'minzheng', name: '清河市民政局' }]);
    expect(verifyCertificate(payload, other.publicKeys())).toMatchObject({ valid: false, code: 'UNKNOWN_KEY' });
    // A key listed under the right id but with other bytes is not trusted.
    const swapped = [{ ...issuer.publicKeys()[0]!, publicKey: other.publicKeys()[0]!.publicKey }];
    expect(verifyCertificate(payload, swapped)).toMatchObject({ valid: false, code: 'UNKNOWN_KEY' });
    expect(verifyCertificate('hello', issuer.publicKeys())).toMatchObject({ valid: false, code: 'MALFORMED' });
    expect(verifyCertificate('HTC1.e30.AAAA', issuer.publicKeys())).toMatchObject({ valid: false, code: 'MALFORMED' });
  });

  it('accepts only the canonical spelling of a payload', () => {
    const payload = issuer.sign(fields);
    expect(verifyCertificate(payload, issuer.publicKeys()).valid).toBe(true);
    // The last character of a 64-byte signature carries 2 bits; its 4 padding bits must stay zero.
    const last = payload.at(-1)!;
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
    const sameBits = alphabet[alphabet.indexOf(last) + 1]!;
    const respelled = payload.slice(0, -1) + sameBits;
    expect(Buffer.from(respelled.split('.')[2]!, 'base64url')).toEqual(
      Buffer.from(payload.split('.')[2]!, 'base64url'),
    );
    expect(verifyCertificate(respelled, issuer.publicKeys())).toMatchObject({ valid: false, code: 'MALFORMED' });
    expect(verifyCertificate(`${payload}=`, issuer.publicKeys())).toMatchObject({ valid: false, code: 'MALFORMED' });
  });

  it('keeps one key per issuing office', () => {
    const two = new CertificateIssuer(seedFor, [
      { code: 'minzheng', name: '清河市民政局' },
      { code: 'jiaotong', name: '清河市交通运输局' },
    ]);
    const keys = two.publicKeys();
    expect(keys.map((key) => key.issuer)).toEqual(['minzheng', 'jiaotong']);
    expect(new Set(keys.map((key) => key.keyId)).size).toBe(2);
    const pass = two.sign({
      ...fields,
      itemId: 'senior-bus-pass',
      issuerCode: 'jiaotong',
      issuerName: '清河市交通运输局',
      tier: '免费乘车',
      validUntil: '2031-06-30',
    });
    expect(verifyCertificate(pass, keys)).toMatchObject({ valid: true, certificate: { tier: '免费乘车' } });
  });

  it('renders the payload as a QR code in SVG and PNG', async () => {
    const payload = issuer.sign(fields);
    expect(await qrSvg(payload)).toContain('<svg');
    const png = await qrPng(payload);
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  });
});
