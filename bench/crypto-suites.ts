/**
 * Benchmark (not a test) of the two suites' primitives, in one process and one run: Ed25519 (node:crypto)
 * against SM2 with SM3 and the user ID (sm-crypto-v2), SHA-256 against SM3, HMAC-SHA256 against HMAC-SM3,
 * and sealing a personal value with SM4 + HMAC-SM3. What the 国密 exchange will pay per call (a request
 * signature, its verification, the answer's, and the digests) is read off these figures.
 *
 *   node bin/run-ts.js bench/crypto-suites.ts [--seconds 2]
 */
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { sm4PersonalDataSealer } from '../src/platform/crypto/gm/personal-data';
import { sm2GenerateKeyPair, sm2Sign, sm2SignerFor, sm2Verify, sm2VerifierFor } from '../src/platform/crypto/gm/sm2';
import { hmacSm3, sm3 } from '../src/platform/crypto/gm/sm3';

const { values } = parseArgs({ options: { seconds: { type: 'string', default: '2' } } });
const seconds = Number(values.seconds);

/** Operations per second of `operation`, run for `seconds` after a short warm-up. */
function rate(operation: () => unknown): number {
  for (let i = 0; i < 50; i++) operation();
  let count = 0;
  const started = performance.now();
  const until = started + seconds * 1000;
  while (performance.now() < until) {
    for (let i = 0; i < 20; i++) operation();
    count += 20;
  }
  return Math.round(count / ((performance.now() - started) / 1000));
}

// A signature base of the size a peer request's is (≈ 600 bytes), and a 2 KB answer body.
const base = randomBytes(600);
const body = randomBytes(2048);
const ed = generateKeyPairSync('ed25519');
const edSignature = sign(null, base, ed.privateKey);
const sm = sm2GenerateKeyPair();
const smSignature = sm2Sign(sm.privateKey, base);
const macKey = randomBytes(32);
const sealer = sm4PersonalDataSealer(randomBytes(32));
const sealed = sealer.seal('gongan.household', JSON.stringify({ id_number: '110105194912310021', name: '张三' }));

const smSign = sm2SignerFor(sm.privateKey);
const smVerify = sm2VerifierFor(sm.publicKey);
const rows: [string, number, number][] = [
  ['sign a request (bare key)', rate(() => sign(null, base, ed.privateKey)), rate(() => sm2Sign(sm.privateKey, base))],
  ['sign a request (key prepared once)', rate(() => sign(null, base, ed.privateKey)), rate(() => smSign(base))],
  [
    'verify a signature (bare key)',
    rate(() => verify(null, base, ed.publicKey, edSignature)),
    rate(() => sm2Verify(sm.publicKey, base, smSignature)),
  ],
  [
    'verify a signature (key precomputed once)',
    rate(() => verify(null, base, ed.publicKey, edSignature)),
    rate(() => smVerify(base, smSignature)),
  ],
  ['digest a 2 KB body', rate(() => createHash('sha256').update(body).digest()), rate(() => sm3(body))],
  [
    'keyed hash of an ID number',
    rate(() => createHmac('sha256', macKey).update('110105194912310021').digest()),
    rate(() => hmacSm3(macKey, Buffer.from('110105194912310021'))),
  ],
];
const sealRate = rate(() => sealer.seal('gongan.household', '{"id_number":"110105194912310021","name":"张三"}'));
const openRate = rate(() => sealer.open('gongan.household', sealed));

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, ${new Date().toISOString()}`);
console.log(`${seconds} s per figure, one core\n`);
console.log('| operation | intl (node:crypto) /s | gm /s | gm ÷ intl |');
console.log('|---|---:|---:|---:|');
for (const [name, intl, gm] of rows) {
  console.log(`| ${name} | ${intl.toLocaleString('en')} | ${gm.toLocaleString('en')} | ${(gm / intl).toFixed(2)} |`);
}
console.log(
  `| seal / open a personal row (SM4-CBC + HMAC-SM3) | | ${sealRate.toLocaleString('en')} / ${openRate.toLocaleString('en')} | |`,
);
