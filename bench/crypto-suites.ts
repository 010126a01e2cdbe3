/**
 * Benchmark (not a test) of the two suites, in one process and one run: the primitives — Ed25519
 * (node:crypto) against SM2 with SM3 and the user ID (sm-crypto-v2), SHA-256 against SM3, HMAC-SHA256 against
 * HMAC-SM3, sealing a personal value with SM4 + HMAC-SM3 — then what the ledger and the certificates do with
 * them under each suite: signing a checkpoint (gm: the Ed25519 line and the SM2 one), a witness's cosignature
 * (gm: both lines), checking a checkpoint cosigned by ten witnesses against its policy (gm: both policies, as
 * `hutong ledger verify --suite gm` does), a shipment's seal, and issuing and checking an e-certificate.
 * The exchange end to end is bench/exchange.ts.
 *
 *   node bin/run-ts.js bench/crypto-suites.ts [--seconds 2]
 */
import { createHash, createHmac, generateKeyPairSync, randomBytes, sign, verify } from 'node:crypto';
import { cpus } from 'node:os';
import { parseArgs } from 'node:util';
import { sm4PersonalDataSealer } from '../src/platform/crypto/gm/personal-data';
import { sm2GenerateKeyPair, sm2Sign, sm2SignerFor, sm2Verify, sm2VerifierFor } from '../src/platform/crypto/gm/sm2';
import { hmacSm3, sm3 } from '../src/platform/crypto/gm/sm3';
import { signCheckpoint } from '../src/core/ledger/checkpoint';
import { cosign, cosignatureVkey } from '../src/core/ledger/cosignature';
import { ed25519NoteSigner, ed25519Vkey, parseNote } from '../src/core/ledger/note';
import { parsePolicy, verifyCheckpointWithPolicy } from '../src/core/ledger/policy';
import {
  formatSm2Vkey,
  SM2_COSIGNATURE_IDENTIFIER,
  SM2_NOTE_IDENTIFIER,
  sm2Cosign,
  sm2NoteSigner,
} from '../src/core/ledger/sm2-note';
import { ed25519SignerFromSeed, nodeLedgerCrypto as c } from '../src/platform/crypto/ledger-crypto';
import { CertificateIssuer, verifyCertificate } from '../src/apps/services/service/certificates';
import { certificateSchemes, cryptoSuite, sm2SignerFromSeed } from '../src/composition/crypto-suite';

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
// The ledger: a checkpoint of the hub's log, ten provider witnesses, their policy — as each suite makes them.
const origin = 'qinghe.gov.cn/hutong/log';
const seed = (n: number) => new Uint8Array(32).fill(n);
const logEd = ed25519SignerFromSeed(seed(1));
const logSm = sm2SignerFromSeed(seed(2));
const witnesses = Array.from({ length: 10 }, (_, i) => ({
  name: `w${i}`,
  keyName: `qinghe.gov.cn/hutong/witness/w${i}`,
  ed: ed25519SignerFromSeed(seed(10 + i)),
  sm: sm2SignerFromSeed(seed(30 + i)),
}));
const checkpoint = { origin, size: 1_000_000, root: randomBytes(32), extensions: [] };
const intlSigners = [ed25519NoteSigner(c, origin, logEd)];
const gmSigners = [...intlSigners, sm2NoteSigner(c, origin, logSm)];
const gmNote = signCheckpoint(checkpoint, gmSigners);
const text = parseNote(gmNote).text;
const edLines = witnesses.map((w) => cosign(c, w.keyName, w.ed, text, 1_765_000_000).line).join('');
const smLines = witnesses.map((w) => sm2Cosign(c, w.keyName, w.sm, text, 1_765_000_000)).join('');
const cosigned = `${gmNote}${edLines}${smLines}`;
const policyOf = (log: string, vkeyOf: (w: (typeof witnesses)[number]) => string) =>
  parsePolicy(
    c,
    [
      `log ${log}`,
      ...witnesses.map((w) => `witness ${w.name} ${vkeyOf(w)}`),
      `group all 6 ${witnesses.map((w) => w.name).join(' ')}`,
      'quorum all',
      '',
    ].join('\n'),
  );
const intlPolicy = policyOf(ed25519Vkey(c, origin, logEd.publicKey), (w) =>
  cosignatureVkey(c, w.keyName, w.ed.publicKey),
);
const gmPolicy = policyOf(formatSm2Vkey(c, origin, SM2_NOTE_IDENTIFIER, logSm.publicKey), (w) =>
  formatSm2Vkey(c, w.keyName, SM2_COSIGNATURE_IDENTIFIER, w.sm.publicKey),
);
const witness = witnesses[0]!;
const sealMessage = randomBytes(120);
const edSeal = logEd.sign(sealMessage);
const smSeal = logSm.sign(sealMessage);
const issuers = [{ code: 'mzj', name: '清河市民政局' }];
const issuerOf = (suite: 'intl' | 'gm') =>
  new CertificateIssuer(() => seed(7), issuers, cryptoSuite(suite).certificates);
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
const [intlIssuer, gmIssuer] = [issuerOf('intl'), issuerOf('gm')];
const [intlPayload, gmPayload] = [intlIssuer.sign(fields), gmIssuer.sign(fields)];
const suiteRows: [string, number, number][] = [
  [
    'ledger: sign a checkpoint',
    rate(() => signCheckpoint(checkpoint, intlSigners)),
    rate(() => signCheckpoint(checkpoint, gmSigners)),
  ],
  [
    'ledger: a witness cosigns a checkpoint',
    rate(() => cosign(c, witness.keyName, witness.ed, text, 1)),
    rate(() => {
      cosign(c, witness.keyName, witness.ed, text, 1);
      sm2Cosign(c, witness.keyName, witness.sm, text, 1);
    }),
  ],
  [
    'ledger: check a checkpoint cosigned by 10 witnesses against its policy',
    rate(() => verifyCheckpointWithPolicy(c, intlPolicy, cosigned, origin)),
    rate(() => {
      verifyCheckpointWithPolicy(c, intlPolicy, cosigned, origin);
      verifyCheckpointWithPolicy(c, gmPolicy, cosigned, origin);
    }),
  ],
  [
    'ledger: check a shipment’s seal',
    rate(() => c.ed25519Verify(logEd.publicKey, sealMessage, edSeal)),
    rate(() => c.sm2Verify!(logSm.publicKey, sealMessage, smSeal)),
  ],
  ['certificates: issue an e-certificate', rate(() => intlIssuer.sign(fields)), rate(() => gmIssuer.sign(fields))],
  [
    'certificates: check one offline (`hutong cert verify`)',
    rate(() => verifyCertificate(intlPayload, intlIssuer.publicKeys(), certificateSchemes)),
    rate(() => verifyCertificate(gmPayload, gmIssuer.publicKeys(), certificateSchemes)),
  ],
];
const sealRate = rate(() => sealer.seal('gongan.household', '{"id_number":"110105194912310021","name":"张三"}'));
const openRate = rate(() => sealer.open('gongan.household', sealed));

console.log(`machine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, ${new Date().toISOString()}`);
console.log(`${seconds} s per figure, one core\n`);
console.log('| operation | intl (node:crypto) /s | gm /s | gm ÷ intl |');
console.log('|---|---:|---:|---:|');
for (const [name, intl, gm] of [...rows, ...suiteRows]) {
  console.log(`| ${name} | ${intl.toLocaleString('en')} | ${gm.toLocaleString('en')} | ${(gm / intl).toFixed(2)} |`);
}
console.log(
  `| seal / open a personal row (SM4-CBC + HMAC-SM3) | | ${sealRate.toLocaleString('en')} / ${openRate.toLocaleString('en')} | |`,
);
