/**
 * Residents' and enterprises' logins checked through the exchange: the hub acts as one of 政务服务办's
 * systems and asks its node, through the exchange client API, for a signed `verify` of "name equals"
 * against the register (gongan.household, shichang.enterprise). The register answers true, false or
 * not_found; the hub never reads a register, and the access is audited at the provider like any other
 * (so the person sees the check among their own data-usage records).
 */
import { ExchangeClient, type NodeEndpoint } from '../../client/exchange-client';
import type { IdentityAnswer, IdentityCheck, IdentityVerifier } from '../../core/ports/subject-login';

export function nodeIdentityVerifier(node: NodeEndpoint, options: { timeoutMs?: number } = {}): IdentityVerifier {
  const client = new ExchangeClient({ node, timeoutMs: options.timeoutMs ?? 10_000 });
  return {
    async verify(check: IdentityCheck): Promise<IdentityAnswer> {
      const { result } = await client.verify(
        {
          agreementId: check.agreementId,
          officer: 'hutong-subject-login',
          caseId: check.kind === 'citizen' ? 'resident-login' : 'enterprise-login',
        },
        check.key,
        check.also?.length
          ? {
              op: 'and',
              args: [
                { op: 'eq', item: check.nameItem, value: check.name },
                ...check.also.map((pair) => ({ op: 'eq' as const, item: pair.item, value: pair.value })),
              ],
            }
          : { op: 'eq', item: check.nameItem, value: check.name },
      );
      if (result === true) return 'match';
      if (result === false) return 'mismatch';
      return 'not_found';
    },
  };
}
