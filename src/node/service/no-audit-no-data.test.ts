/**
 * "No audit, no data": when the audit event cannot be committed, the node releases nothing — the caller
 * gets AUDIT_UNAVAILABLE and the prepared answer is dropped. Real SQLite store with the audit table broken.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type TestDatabase, testDialects } from '../../platform/db/test-databases';
import { KyselyNodeStore } from '../store/kysely-node-store';
import type { NodeDatabase } from '../store/node-schema';
import { type Agreement, openApplication } from '../../core/agreements/agreement';
import type { Resource } from '../../core/catalog/resource';
import { dataItem, testResource } from '../../core/catalog/resource.test-helper';
import { nodeLedgerCrypto } from '../../platform/crypto/ledger-crypto';
import type { ChainCursor } from '../../core/audit/shipment';
import { fixedClock } from '../../core/ports/clock';
import type { DataRow, HubDirectory, NodeData } from '../../core/ports/node-ports';
import { NodeError } from './node-errors';
import { NodeService } from './node-service';

const now = '2026-11-27T02:00:00.000Z';
const resource: Resource = testResource({
  code: 'gongan.household',
  name: '户籍人口信息',
  items: [dataItem('id_number', '公民身份号码', 'string', 4, 'citizen'), dataItem('birth_date', '出生日期', 'date', 3)],
  accessModes: ['verify'],
});
const agreement: Agreement = openApplication({
  id: 'GX-1',
  resource,
  consumer: { memberCode: 'zhengwu', memberRole: 'consumer', roles: ['data_officer'], username: 'z' },
  request: {
    purpose: '优待证',
    legalBasis: 'l',
    items: ['id_number', 'birth_date'],
    modes: ['verify'],
    predicates: [{ op: 'gte', item: { ageAt: '$asOf', of: 'birth_date' }, value: 60 }],
    validFrom: '2026-11-27',
    validTo: '2027-11-27',
    rateLimitPerMinute: 100,
  },
  now: new Date(now),
  dueAt: new Date(now),
});

let held: Agreement = agreement;
const directory: HubDirectory = {
  agreements: async () => [held],
  agreement: async () => held,
  members: async () => [],
  resources: async () => [resource],
  ledgerCursor: async () => shippedUpTo,
  shipAccessRecords: async (shipment) => {
    shippedUpTo = { lastSeq: shipment.seal.seq, lastHash: shipment.seal.hash };
    return shippedUpTo;
  },
};
let shippedUpTo: ChainCursor = { lastSeq: 0, lastHash: null };

let reads = 0;
const data: NodeData = {
  async rowsForSubjects(): Promise<DataRow[]> {
    reads += 1;
    return [{ id_number: '11010519491231002X', birth_date: '1949-12-31' }];
  },
  async allRows() {
    return [];
  },
  reads: () => reads,
};

const [sqlite] = testDialects({});
const clock = fixedClock(now);

describe('no audit, no data', () => {
  let database: TestDatabase<NodeDatabase>;
  let service: NodeService;

  beforeEach(async () => {
    database = await sqlite!.open<NodeDatabase>();
    const store = new KyselyNodeStore(database.db);
    await store.migrate();
    service = new NodeService({
      memberCode: 'gongan',
      store,
      data,
      directory,
      clock,
      hasher: { hash: (key) => `h(${key.length})`, keyed: (purpose, value) => `${purpose}(${value.length})` },
      crypto: nodeLedgerCrypto,
      signer: { keyId: () => 'gongan:k', sign: () => new Uint8Array(64) },
      newEventId: () => crypto.randomUUID(),
      digest: () => 'sha-256=:x:',
      publications: { resources: {}, computations: [] },
      stalenessLimitMs: 60_000,
      maxBatch: 100,
      maxUnshippedMs: 5_000,
    });
    clock.set(now);
    shippedUpTo = { lastSeq: 0, lastHash: null };
    held = agreement;
    await service.sync();
  });
  afterEach(async () => {
    await database.dispose();
  });

  const call = {
    caller: 'zhengwu',
    mode: 'verify' as const,
    agreementId: 'GX-1',
    purpose: '优待证',
    officer: 'o',
    caseId: 'c',
    requestId: 'r',
    requestDigest: 'd',
    signerKey: 'zhengwu:k',
    nonce: 'n',
    payload: {
      subject: '11010519491231002X',
      predicate: { op: 'gte', item: { ageAt: '2026-11-27', of: 'birth_date' }, value: 60 },
    },
  };

  it('answers once the event is stored', async () => {
    const answer = await service.serve(call);
    expect(answer.status).toBe(200);
    expect(JSON.parse(answer.body.toString()).result).toEqual({ subject: '11010519491231002X', answer: true });
    expect(answer.audit.map((event) => event.decision)).toEqual(['served']);
  });

  it('answers no question under a verify agreement that names none (made before questions were required)', async () => {
    const { predicates: _named, ...unnamed } = agreement.granted!;
    held = { ...agreement, granted: unnamed };
    await service.sync();
    const before = data.reads();
    const answer = await service.serve({ ...call, nonce: 'n-unnamed' });
    expect(answer.status).toBe(403);
    expect(JSON.parse(answer.body.toString()).code).toBe('PREDICATE_NOT_AGREED');
    expect(answer.audit.map((event) => event.decision)).toEqual(['denied']);
    expect(data.reads()).toBe(before);
  });

  it('withholds the answer when the audit trail cannot take the event', async () => {
    await database.db.schema.dropTable('node_audit').execute();
    const error = await service.serve({ ...call, nonce: 'n2' }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NodeError);
    expect((error as NodeError).code).toBe('AUDIT_UNAVAILABLE');
  });

  it('fails closed when its audit events wait too long for the hub’s log, and recovers once shipped', async () => {
    expect((await service.serve(call)).status).toBe(200);
    clock.advanceMs(6_000);
    const refused = await service.serve({ ...call, nonce: 'n3' });
    expect(refused.status).toBe(503);
    expect(JSON.parse(refused.body.toString()).code).toBe('AUDIT_UNAVAILABLE');
    await service.shipAudit();
    expect((await service.serve({ ...call, nonce: 'n4' })).status).toBe(200);
  });
});
