/**
 * The consumer's side of the exchange: one of the member's own systems (or a person at the console) asks
 * through its node; the node finds the agreement it holds, the provider's node, and makes the signed peer
 * call, whose verified answer it passes on as it came. The HTTP layer only parses the body and writes the
 * answer out; this is the one place that knows what a local query is.
 */
import { type LocalQuery, readLocalQuery } from '../../core/access/local-query';
import { PROBLEM_MEDIA_TYPE } from '../../core/problem';
import { type PeerClient, PeerTransportError } from '../exchange/peer-client';
import { NodeError } from '../service/node-errors';
import type { NodeService } from '../service/node-service';

export type { LocalQuery };

/** The provider's answer as it came: status, signed body, request id and signer. */
export interface LocalAnswer {
  status: number;
  contentType: string;
  requestId: string;
  signedBy: string;
  body: Buffer;
}

/** Reads a local query from its JSON body (src/core/access/local-query.ts). */
export function parseLocalQuery(body: Buffer): LocalQuery {
  let input: unknown;
  try {
    input = JSON.parse(body.toString('utf8'));
  } catch {
    throw new NodeError('BAD_REQUEST', 'the body is not JSON');
  }
  const query = readLocalQuery(input);
  if (!query) throw new NodeError('BAD_REQUEST', 'agreementId and a mode are required');
  return query;
}

export class LocalQueries {
  constructor(
    private readonly service: NodeService,
    private readonly peers: PeerClient,
  ) {}

  /** `consoleOfficer`: the person logged into the console, who acts as themselves whatever the body says. */
  async query(query: LocalQuery, consoleOfficer: string | null): Promise<LocalAnswer> {
    const cached = await this.service.cachedAgreement(query.agreementId);
    if (!cached || cached.agreement.consumerCode !== this.service.memberCode) {
      throw new NodeError('AGREEMENT_UNKNOWN', `this member holds no agreement ${query.agreementId}`);
    }
    const providerUrl = await this.service.nodeUrl(cached.agreement.providerCode);
    if (!providerUrl) {
      throw new NodeError('PROVIDER_UNREACHABLE', `${cached.agreement.providerCode} has no node registered`);
    }
    try {
      const answer = await this.peers.call({
        providerUrl,
        mode: query.mode,
        agreementId: query.agreementId,
        purpose: cached.agreement.purpose,
        officer: consoleOfficer ?? query.officer ?? 'system',
        caseId: query.caseId ?? '',
        covertUntil: query.covertUntil,
        payload: query.payload,
      });
      return {
        status: answer.status,
        contentType: answer.status >= 400 ? PROBLEM_MEDIA_TYPE : 'application/json',
        requestId: answer.requestId,
        signedBy: answer.signedBy,
        body: answer.raw,
      };
    } catch (error) {
      if (error instanceof PeerTransportError) throw new NodeError(error.code, error.message);
      throw error;
    }
  }
}
