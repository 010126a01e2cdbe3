/**
 * The tlog-witness every provider node runs (c2sp.org/tlog-witness): it cosigns a checkpoint of the hub's
 * log only if it is signed by the log's key and consistent with the last checkpoint this node cosigned, and
 * it records the new size atomically before answering — so no one, the hub's operator included, can show
 * two departments two different histories without one of them refusing.
 */
import { base64Decode, base64Encode } from '../../core/ledger/bytes';
import { cosign, cosignatureVkey } from '../../core/ledger/cosignature';
import type { Ed25519Signer, LedgerCrypto } from '../../core/ledger/crypto-port';
import { ed25519NoteVerifier, type NoteVerifier } from '../../core/ledger/note';
import {
  type AddCheckpointDecision,
  decideAddCheckpoint,
  parseAddCheckpointRequest,
  TLOG_SIZE_CONTENT_TYPE,
} from '../../core/ledger/witness-rules';
import { LedgerError } from '../../core/ledger/errors';
import { type Sm2Signer, sm2Cosign } from '../../core/ledger/sm2-note';
import type { Clock } from '../../core/ports/clock';
import type { NodeStore } from '../../core/ports/node-store';

export interface WitnessAnswer {
  status: number;
  contentType: string;
  body: string;
}

export interface TrustedLog {
  origin: string;
  vkey: string;
}

export class Witness {
  private verifiers = new Map<string, NoteVerifier[]>();

  constructor(
    private readonly deps: {
      /** The witness's key name, e.g. qinghe.gov.cn/hutong/witness/gongan. */
      name: string;
      signer: Ed25519Signer;
      /** Under the 国密 suite: every cosignature also gets an SM2 line (src/core/ledger/sm2-note.ts). */
      sm2Signer?: Sm2Signer | undefined;
      crypto: LedgerCrypto;
      store: NodeStore;
      clock: Clock;
    },
  ) {}

  /** The vkey others use to check this witness's cosignatures (published in the log's policy). */
  vkey(): string {
    return cosignatureVkey(this.deps.crypto, this.deps.name, this.deps.signer.publicKey);
  }

  /** Which logs this witness vouches for, and by which key (learned from the hub at start). */
  trust(logs: readonly TrustedLog[]): void {
    this.verifiers = new Map(logs.map((log) => [log.origin, [ed25519NoteVerifier(this.deps.crypto, log.vkey)]]));
  }

  async addCheckpoint(body: Uint8Array): Promise<WitnessAnswer> {
    const text = (status: number, message: string): WitnessAnswer => ({
      status,
      contentType: 'text/plain; charset=utf-8',
      body: `${message}\n`,
    });
    let request: ReturnType<typeof parseAddCheckpointRequest>;
    try {
      request = parseAddCheckpointRequest(body);
    } catch (error) {
      if (error instanceof LedgerError) return text(400, error.message);
      throw error;
    }
    const origin = request.checkpoint.origin;
    const stored = await this.deps.store.witnessState(origin);
    const state = stored ? { size: stored.size, root: base64Decode(stored.root) } : undefined;
    const decision: AddCheckpointDecision = decideAddCheckpoint(
      this.deps.crypto,
      request,
      this.verifiers.get(origin),
      state,
    );
    if (decision.status === 409) return { status: 409, contentType: decision.contentType, body: decision.body };
    if (decision.status !== 200) return text(decision.status, decision.reason);
    const now = this.deps.clock.now();
    const advanced = await this.deps.store.advanceWitness(
      origin,
      request.oldSize,
      { size: decision.newState.size, root: base64Encode(decision.newState.root) },
      now.toISOString(),
    );
    if (!advanced) {
      // Another request moved the state between our read and our write: answer as the spec says.
      const current = await this.deps.store.witnessState(origin);
      return { status: 409, contentType: TLOG_SIZE_CONTENT_TYPE, body: `${current?.size ?? 0}\n` };
    }
    const timestamp = Math.floor(now.getTime() / 1000);
    const signature = cosign(this.deps.crypto, this.deps.name, this.deps.signer, decision.checkpointText, timestamp);
    const sm2Line = this.deps.sm2Signer
      ? sm2Cosign(this.deps.crypto, this.deps.name, this.deps.sm2Signer, decision.checkpointText, timestamp)
      : '';
    return { status: 200, contentType: 'text/plain; charset=utf-8', body: `${signature.line}${sm2Line}` };
  }
}
