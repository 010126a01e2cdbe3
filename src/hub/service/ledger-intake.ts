/** The log's intake of the nodes' access records: where each node's chain stands, and taking in a shipment. */
import type { AccessRecord } from '../../core/audit/access-record';
import { ChainError, checkSeal, recordHash } from '../../core/audit/chain';
import type { AccessShipment, ChainCursor } from '../../core/audit/shipment';
import { type Principal, requireMemberRole } from '../../core/auth/principal';
import { HutongError } from '../../core/errors';
import type { LedgerCrypto } from '../../core/ledger/crypto-port';
import type { AccessLogEvent } from '../../core/ports/audit-log';
import type { HubDependencies } from './hub-service';

export class LedgerIntake {
  constructor(private readonly deps: HubDependencies) {}

  /** How far the log holds a member node's chain: where its node resumes shipping. */
  async cursor(actor: Principal): Promise<ChainCursor> {
    requireMemberRole(actor, 'provider', 'consumer');
    return this.deps.store.ledgerCursor(actor.memberCode);
  }

  /**
   * A node ships the records of its chain, sealed at the last one. The request was signed with the node's
   * current key (checked at the edge: `shipper`), so only the node itself writes its access records; here,
   * in the transaction that logs them: the signature's nonce is claimed once (a replay is refused), every
   * record must be the shipper's, continue its chain exactly where the log holds it (no gap, no fork), and
   * the seal must name the last record's hash under that same key. Records the log already holds are
   * skipped, so shipping again after a lost answer does no harm.
   */
  async record(
    shipper: { memberCode: string; keyId: string; publicKey: Uint8Array; nonce: string; expiresAt: string },
    shipment: AccessShipment,
  ): Promise<ChainCursor> {
    const node = shipper.memberCode;
    if (shipment.records.some((record) => record.node !== node)) {
      throw new HutongError(
        'NOT_OWN_MEMBER',
        '前置机只能报送本单位作出的访问决定 / a node ships only its own decisions',
      );
    }
    const now = this.deps.clock.now().toISOString();
    return this.deps.auditLog.commit(async (store) => {
      if (!(await store.claimShipmentNonce(`${node}:${shipper.keyId}`, shipper.nonce, shipper.expiresAt, now))) {
        throw new HutongError('SHIPMENT_REPLAYED');
      }
      const cursor = await store.ledgerCursor(node);
      const fresh = checkShipment(this.deps.crypto, node, cursor, shipment, shipper.publicKey);
      if (fresh.length === 0) return { result: cursor, events: [] };
      const last = fresh.at(-1)!;
      const next: ChainCursor = { lastSeq: last.record.seq, lastHash: last.hash };
      const freshSeqs = new Set(fresh.map((f) => f.record.seq));
      await store.insertAccessDetails(
        node,
        shipment.details.filter((detail) => freshSeqs.has(detail.seq)),
        now,
      );
      await store.setLedgerCursor(node, next, now);
      const events: AccessLogEvent[] = fresh.map(({ record }, index) => ({
        type: 'access',
        record,
        ...(index === fresh.length - 1 ? { seal: shipment.seal } : {}),
      }));
      return { result: next, events };
    });
  }
}

/**
 * The records of a shipment the log does not hold yet, each with its hash, after checking that they
 * continue the node's chain from `cursor` and that the seal covers the last one under the shipper's key.
 */
function checkShipment(
  crypto: LedgerCrypto,
  node: string,
  cursor: ChainCursor,
  shipment: AccessShipment,
  publicKey: Uint8Array,
): { record: AccessRecord; hash: string }[] {
  const fresh: { record: AccessRecord; hash: string }[] = [];
  let seq = cursor.lastSeq;
  let hash = cursor.lastHash;
  for (const record of shipment.records) {
    const recordHashOf = recordHash(crypto, record);
    if (record.seq <= cursor.lastSeq) {
      // Already logged: the one at the log's head must be the same record, or the node's chain forked.
      if (record.seq === cursor.lastSeq && recordHashOf !== cursor.lastHash) {
        throw new HutongError(
          'CHAIN_FORK',
          `${node} 的第 ${record.seq} 条记录与账本中的不同 / record ${record.seq} differs`,
        );
      }
      continue;
    }
    if (record.seq !== seq + 1) {
      throw new HutongError('CHAIN_GAP', `expected record ${seq + 1} of ${node}, got ${record.seq}`);
    }
    if (record.prev !== hash) {
      throw new HutongError('CHAIN_FORK', `record ${record.seq} of ${node} does not follow record ${seq} in the log`);
    }
    fresh.push({ record, hash: recordHashOf });
    seq = record.seq;
    hash = recordHashOf;
  }
  const last = shipment.records.at(-1);
  if (!last) return fresh;
  try {
    checkSeal(crypto, node, last.seq, recordHash(crypto, last), shipment.seal, [publicKey]);
  } catch (error) {
    if (error instanceof ChainError) throw new HutongError('SEAL_INVALID', error.message);
    throw error;
  }
  return fresh;
}
