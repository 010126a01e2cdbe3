/**
 * Ships a node's access records to the hub's log. The node's own audit table is the durable queue: a record
 * is committed there before its answer leaves, and stays until the hub's log holds it. Each shipment is
 * sealed (signed) by the node at its last record, and before shipping the node checks that the record the
 * hub says it holds last is its own — a hub that logged another record at that place is caught here.
 */
import { type Seal, sealStatement } from '../../core/audit/chain';
import type { AccessShipment, ChainCursor, SignedHead } from '../../core/audit/shipment';
import { base64Encode } from '../../core/ledger/bytes';
import type { Clock } from '../../core/ports/clock';
import type { HubDirectory, NodeSigner } from '../../core/ports/node-ports';
import type { NodeStore } from '../../core/ports/node-store';
import { NodeError } from './node-errors';
import { shipBatchLength } from './ship-batch';

export interface ShipperDeps {
  store: NodeStore;
  directory: HubDirectory;
  signer: NodeSigner;
  clock: Clock;
}

export class AuditShipper {
  /** When the oldest record not yet in the hub's log was committed (ms): the node fails closed past a limit. */
  unshippedSince: number | undefined;
  /** The last seq the hub's log holds, as its last answer said (undefined before the first shipment). */
  shippedSeq: number | undefined;

  constructor(
    private readonly memberCode: string,
    private readonly deps: ShipperDeps,
  ) {}

  /** The node's seal over its record at `seq` with `hash`. */
  seal(seq: number, hash: string): Seal {
    const signature = this.deps.signer.sign(sealStatement(this.memberCode, seq, hash));
    return { seq, hash, keyId: this.deps.signer.keyId(), signature: base64Encode(signature) };
  }

  /** The chain's head, signed: anyone can check that the hub's log holds it (GET /audit/v1/head). */
  async signedHead(): Promise<SignedHead | undefined> {
    const head = await this.deps.store.auditHead();
    if (!head) return undefined;
    return { node: this.memberCode, at: head.at, ...this.seal(head.seq, head.hash) };
  }

  /**
   * Ships the records the hub's log does not hold yet, oldest first, each shipment sealed at its last
   * record. The node's own table is the durable queue: an event is committed there before its answer
   * leaves, and stays until shipped. Before shipping, the node checks that the record the hub says it
   * holds last is the node's own: a hub that logged another record at that place is caught here.
   */
  /**
   * `pageSize` records are read at a time: a record of a batch decision holds 1,000 subject hashes
   * (≈ 50 KB), and reading hundreds of them to ship the ten that fit one POST was most of a node's work
   * during a large evaluation.
   */
  async ship(pageSize = 64): Promise<{ shipped: number; lastSeq: number }> {
    try {
      return await this.shipPending(pageSize);
    } catch (error) {
      // Counted for the data officer and the operator: shipping that keeps failing ends in AUDIT_UNAVAILABLE.
      this.shipping.failures += 1;
      this.shipping.lastError = (error as Error).message.slice(0, 200);
      this.shipping.lastErrorAt = this.deps.clock.now().toISOString();
      throw error;
    }
  }

  /** How shipping to the hub's log has gone since the node started. */
  stats(): { failures: number; lastError: string | null; lastErrorAt: string | null } {
    return { ...this.shipping };
  }

  private readonly shipping = { failures: 0, lastError: null as string | null, lastErrorAt: null as string | null };

  /** The hub's cursor as its last answer gave it; asked again after a restart or a failed shipment. */
  private knownCursor: ChainCursor | undefined;

  private async shipPending(batchSize: number): Promise<{ shipped: number; lastSeq: number }> {
    const cursor = this.knownCursor ?? (await this.deps.directory.ledgerCursor());
    this.knownCursor = undefined;
    await this.checkHubHolds(cursor);
    let lastSeq = cursor.lastSeq;
    let shipped = 0;
    for (;;) {
      const events = await this.deps.store.auditAfter(lastSeq, batchSize);
      this.shippedSeq = lastSeq;
      if (events.length === 0) {
        this.unshippedSince = undefined;
        this.knownCursor = cursor.lastSeq === lastSeq ? cursor : this.knownCursor;
        return { shipped, lastSeq };
      }
      const batch = events.slice(0, shipBatchLength(events.map((e) => e.record)));
      const last = batch.at(-1)!;
      const shipment: AccessShipment = {
        records: batch.map((e) => e.record),
        details: batch.map((e) => ({ seq: e.seq, officer: e.officer, caseId: e.caseId })),
        seal: this.seal(last.seq, last.recordHash),
      };
      const next = await this.deps.directory.shipAccessRecords(shipment);
      await this.checkHubHolds(next);
      // A hub that does not advance would keep us here for ever; try again at the next tick instead.
      if (next.lastSeq <= lastSeq) return { shipped, lastSeq };
      shipped += next.lastSeq - lastSeq;
      lastSeq = next.lastSeq;
      this.knownCursor = next;
    }
  }

  /** The record the hub says it holds last must be this node's own: else the hub logged another one. */
  private async checkHubHolds(cursor: ChainCursor): Promise<void> {
    if (cursor.lastSeq === 0) return;
    const mine = await this.deps.store.auditAt(cursor.lastSeq);
    if (!mine || mine.recordHash !== cursor.lastHash) {
      throw new NodeError(
        'CHAIN_MISMATCH',
        `the hub's log holds a record ${cursor.lastSeq} of ${this.memberCode} that this node did not make`,
      );
    }
  }
}
