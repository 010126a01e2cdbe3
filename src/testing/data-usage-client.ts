/**
 * A resident or an enterprise as a test plays them: logs in at the hub (ID number and name; or credit code,
 * name and the legal representative's name and ID number — checked through the exchange), reads its 数据使用记录,
 * and checks an entry's inclusion proof against the signed checkpoint the way the console does — with the
 * log's key and nothing else from the hub.
 */
import { nodeLedgerCrypto as c } from '../platform/crypto/ledger-crypto';
import { base64Decode, utf8 } from '../core/ledger/bytes';
import { openCheckpoint } from '../core/ledger/checkpoint';
import { leafHash, verifyInclusion } from '../core/ledger/merkle';
import { ed25519NoteVerifier } from '../core/ledger/note';
import type { UsageRecord } from '../core/ports/ledger-index';
import { HUTONG_LOG_ORIGIN } from '../ledger/service/log-service';

export async function dataUsageOf(
  hubUrl: string,
  subject:
    | { kind: 'citizen'; idNumber: string; name: string }
    | { kind: 'enterprise'; uscc: string; name: string; legalRepName: string; legalRepIdNumber: string },
): Promise<UsageRecord[]> {
  const login = await fetch(new URL(`/api/v1/auth/${subject.kind === 'citizen' ? 'resident' : 'enterprise'}`, hubUrl), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(
      subject.kind === 'citizen'
        ? { idNumber: subject.idNumber, name: subject.name }
        : {
            uscc: subject.uscc,
            name: subject.name,
            legalRepName: subject.legalRepName,
            legalRepIdNumber: subject.legalRepIdNumber,
          },
    ),
  });
  if (login.status !== 200) throw new Error(`login refused: ${login.status} ${await login.text()}`);
  const { token } = (await login.json()) as { token: string };
  const records: UsageRecord[] = [];
  for (let page = 1; ; page++) {
    const response = await fetch(new URL(`/api/v1/me/data-usage?pageSize=200&page=${page}`, hubUrl), {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await response.json()) as { items: UsageRecord[]; total: number };
    records.push(...body.items);
    if (records.length >= body.total || body.items.length === 0) return records;
  }
}

/** The entry at `index`, after checking its inclusion proof under the log's signed checkpoint. */
export async function provenEntry(hubUrl: string, index: number): Promise<Record<string, unknown>> {
  const vkey = (await fetch(new URL('/ledger/vkey', hubUrl)).then((r) => r.text())).trim();
  // An entry is provable once a checkpoint covers it (one is published every second).
  let response = await fetch(new URL(`/ledger/entries/${index}`, hubUrl));
  for (let attempt = 0; attempt < 300 && response.status !== 200; attempt++) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    response = await fetch(new URL(`/ledger/entries/${index}`, hubUrl));
  }
  if (response.status !== 200) throw new Error(`entry ${index}: HTTP ${response.status} ${await response.text()}`);
  const body = (await response.json()) as { data: string; inclusionProof: string[]; checkpoint: string };
  const { checkpoint } = openCheckpoint(body.checkpoint, HUTONG_LOG_ORIGIN, [ed25519NoteVerifier(c, vkey)]);
  const data = utf8(body.data);
  verifyInclusion(c, index, checkpoint.size, leafHash(c, data), body.inclusionProof.map(base64Decode), checkpoint.root);
  return JSON.parse(body.data) as Record<string, unknown>;
}
