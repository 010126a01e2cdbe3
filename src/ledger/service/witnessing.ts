/**
 * The hub's side of witnessing: after each new checkpoint it asks every provider node's witness to cosign
 * (c2sp.org/tlog-witness), proving consistency with what that witness cosigned last, and serves the
 * checkpoint with the cosignatures it got. The quorum — a majority of provider departments by default —
 * is published as a tlog-policy, so anyone can check a checkpoint is final.
 */
import { cosignatureVerifier } from '../../core/ledger/cosignature';
import { sm2CosignatureVerifier } from '../../core/ledger/sm2-note';
import type { LedgerCrypto } from '../../core/ledger/crypto-port';
import type { NoteSignature } from '../../core/ledger/note';
import { formatPolicy, parsePolicy, quorumSatisfied } from '../../core/ledger/policy';
import { addSignatures, formatAddCheckpointRequest, openWitnessResponse } from '../../core/ledger/witness-rules';
import type { LogService } from './log-service';

export interface WitnessEndpoint {
  /** The policy's short name for the witness: the member code. */
  name: string;
  /** Base URL of the node; the witness listens at <url>/witness/add-checkpoint. */
  url: string;
  vkey: string;
  /** Under the 国密 suite, the witness's SM2 cosignature key (`hutong/sm2-sm3-cosignature/v1`) too. */
  sm2Vkey?: string | undefined;
}

export interface WitnessReply {
  status: number;
  body: string;
}

export interface WitnessStatus {
  name: string;
  /** Size of the last checkpoint this witness cosigned, as far as the hub knows. */
  cosignedSize: number;
  lastStatus: number | null;
  lastError: string | null;
  refusals: number;
}

export interface WitnessingDependencies {
  log: LogService;
  crypto: LedgerCrypto;
  witnesses(): Promise<WitnessEndpoint[]>;
  post(url: string, body: string): Promise<WitnessReply>;
}

export class WitnessCoordinator {
  private readonly status = new Map<string, WitnessStatus>();
  private cosigned: { size: number; note: string; witnesses: string[] } | undefined;

  constructor(private readonly deps: WitnessingDependencies) {}

  /** The tlog-policy: the log's key, each witness, and a majority of them as the quorum. */
  async policy(): Promise<string> {
    return this.policyOf(this.deps.log.vkey(), await this.deps.witnesses(), (witness) => witness.vkey);
  }

  /**
   * Under the 国密 suite, the same policy over the SM2 keys: the log's SM2 key, each witness's SM2
   * cosignature key, the same majority (hutong's own; C2SP tools read `policy()`). Undefined under intl.
   */
  async sm2Policy(): Promise<string | undefined> {
    const logKey = this.deps.log.sm2Vkey();
    if (!logKey) return undefined;
    const witnesses = (await this.deps.witnesses()).filter((witness) => witness.sm2Vkey);
    return this.policyOf(logKey, witnesses, (witness) => witness.sm2Vkey!);
  }

  private policyOf(
    logKey: string,
    witnesses: readonly WitnessEndpoint[],
    keyOf: (witness: WitnessEndpoint) => string,
  ): string {
    const lines = [`log ${logKey}`];
    for (const witness of witnesses) lines.push(`witness ${witness.name} ${keyOf(witness)} ${witness.url}/witness`);
    if (witnesses.length === 0) lines.push('quorum none');
    else {
      const majority = Math.floor(witnesses.length / 2) + 1;
      lines.push(`group providers ${majority} ${witnesses.map((witness) => witness.name).join(' ')}`);
      lines.push('quorum providers');
    }
    // Round-trip through the parser so a malformed policy is never published.
    return formatPolicy(parsePolicy(this.deps.crypto, `${lines.join('\n')}\n`));
  }

  /**
   * Collects cosignatures for the latest checkpoint from every witness that has not cosigned it yet (a
   * witness that was down, or a node that joined since, is asked again at the next tick); returns who did.
   * Rounds run one after another: the hub's timer and another caller may overlap, and two rounds at once
   * would each add the same witnesses' signatures.
   */
  cosignLatest(): Promise<{ size: number; witnesses: string[]; final: boolean }> {
    const round = this.round.then(() => this.cosignRound());
    this.round = round.catch(() => undefined);
    return round;
  }

  private round: Promise<unknown> = Promise.resolve();

  private async cosignRound(): Promise<{ size: number; witnesses: string[]; final: boolean }> {
    const latest = await this.deps.log.latestCheckpoint();
    if (!latest) return { size: 0, witnesses: [], final: false };
    if (this.cosigned?.size !== latest.size) this.cosigned = { size: latest.size, note: latest.note, witnesses: [] };
    const current = this.cosigned;
    const pending = (await this.deps.witnesses()).filter((witness) => !current.witnesses.includes(witness.name));
    const collected: NoteSignature[] = [];
    const names: string[] = [];
    await Promise.all(
      pending.map(async (witness) => {
        const signature = await this.ask(witness, latest.size, latest.note);
        if (signature) {
          collected.push(...signature);
          names.push(witness.name);
        }
      }),
    );
    if (names.length > 0) {
      current.note = addSignatures(current.note, collected);
      current.witnesses = [...current.witnesses, ...names].sort();
    }
    const summary = await this.summary();
    // A final checkpoint is kept (with its cosignatures) for offline proofs, across restarts too.
    if (summary.final && names.length > 0) await this.deps.log.putCosigned({ size: current.size, note: current.note });
    return summary;
  }

  /** The latest checkpoint with the cosignatures gathered for it (or the log's own when none yet). */
  async checkpoint(): Promise<string | undefined> {
    const latest = await this.deps.log.latestCheckpoint();
    if (!latest) return undefined;
    return this.cosigned?.size === latest.size ? this.cosigned.note : latest.note;
  }

  witnessStatus(): WitnessStatus[] {
    return [...this.status.values()].sort((a, b) => a.name.localeCompare(b.name));
  }

  private async summary(): Promise<{ size: number; witnesses: string[]; final: boolean }> {
    const policy = parsePolicy(this.deps.crypto, await this.policy());
    const cosigned = this.cosigned!;
    return {
      size: cosigned.size,
      witnesses: cosigned.witnesses,
      final: quorumSatisfied(policy, new Set(cosigned.witnesses)),
    };
  }

  private async ask(witness: WitnessEndpoint, size: number, note: string): Promise<NoteSignature[] | undefined> {
    const state: WitnessStatus = this.status.get(witness.name) ?? {
      name: witness.name,
      cosignedSize: 0,
      lastStatus: null,
      lastError: null,
      refusals: 0,
    };
    this.status.set(witness.name, state);
    // A 409 tells us the size the witness really holds (e.g. after a hub restart); one retry from there.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const old = Math.min(state.cosignedSize, size);
      const proof = old > 0 && old < size ? await this.deps.log.consistency(old, size) : [];
      let reply: WitnessReply;
      try {
        reply = await this.deps.post(
          `${witness.url}/witness/add-checkpoint`,
          formatAddCheckpointRequest(old, proof, note),
        );
      } catch (error) {
        // Codes only: the status is public (/ledger/witnesses), and what a URL answers is never echoed.
        state.lastStatus = null;
        state.lastError = (error as Error).name === 'TimeoutError' ? 'TIMEOUT' : 'UNREACHABLE';
        return undefined;
      }
      state.lastStatus = reply.status;
      if (reply.status === 200) {
        try {
          const signatures = openWitnessResponse(note, reply.body, [
            cosignatureVerifier(this.deps.crypto, witness.vkey),
            ...(witness.sm2Vkey ? [sm2CosignatureVerifier(this.deps.crypto, witness.sm2Vkey)] : []),
          ]);
          // A 国密 witness cosigns with both keys: one line missing is a refusal, not half a cosignature.
          if (signatures.length !== (witness.sm2Vkey ? 2 : 1)) throw new Error('a cosignature is missing');
          state.cosignedSize = size;
          state.lastError = null;
          return signatures;
        } catch {
          state.lastError = 'COSIGNATURE_INVALID';
          state.refusals += 1;
          return undefined;
        }
      }
      if (reply.status === 409 && /^\d+\n$/.test(reply.body) && attempt === 0) {
        state.cosignedSize = Number(reply.body.trim());
        continue;
      }
      state.refusals += 1;
      state.lastError = `HTTP_${reply.status}`;
      return undefined;
    }
    return undefined;
  }
}
