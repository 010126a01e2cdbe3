/**
 * Residents' and enterprises' logins checked through the exchange: the hub acts as one of 政务服务办's
 * systems and asks its node (local API, the node's local token) for a signed `verify` of "name equals"
 * against the register (gongan.household, shichang.enterprise). The register answers true, false or
 * not_found; the hub never reads a register, and the access is audited at the provider like any other
 * (so the person sees the check among their own data-usage records).
 */
import type { IdentityAnswer, IdentityCheck, IdentityVerifier } from '../../core/ports/ledger-index';

export interface NodeIdentityVerifierOptions {
  /** Base URL of the node that asks (政务服务办's). */
  nodeUrl: string;
  /** Its local API token. */
  localToken: string;
  timeoutMs?: number;
}

export class IdentityCheckError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(`identity check refused: ${status} ${code}`);
    this.name = 'IdentityCheckError';
  }
}

export function nodeIdentityVerifier(options: NodeIdentityVerifierOptions): IdentityVerifier {
  return {
    async verify(check: IdentityCheck): Promise<IdentityAnswer> {
      const response = await fetch(new URL('/local/v1/query', options.nodeUrl), {
        method: 'POST',
        headers: { authorization: `Bearer ${options.localToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          agreementId: check.agreementId,
          mode: 'verify',
          officer: 'hutong-subject-login',
          caseId: check.kind === 'citizen' ? 'resident-login' : 'enterprise-login',
          subject: check.key,
          predicate: { op: 'eq', item: check.nameItem, value: check.name },
        }),
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      const body = (await response.json().catch(() => ({}))) as {
        code?: string;
        result?: { answer?: unknown };
      };
      if (!response.ok) throw new IdentityCheckError(response.status, body.code ?? `HTTP_${response.status}`);
      const answer = body.result?.answer;
      if (answer === true) return 'match';
      if (answer === false) return 'mismatch';
      if (answer === 'not_found') return 'not_found';
      throw new IdentityCheckError(response.status, 'UNEXPECTED_ANSWER');
    },
  };
}
