/**
 * The provider's side of the exchange, whatever carries it: a peer request goes signature → nonce →
 * covert flag → mode → body → agreement, decision, read and audit (NodeService.serve) → an answer signed
 * with the node's key and bound to the request (RFC 9421). The HTTP layer only hands the request in and
 * writes the outcome out. Every refusal of a verified caller is audited and signed; an unverified request
 * is nobody's: nothing is decided or read, and it is counted per address instead.
 */
import type { MessageSigner, MessageVerifier } from '../../core/ports/message-signature';
import type { NodeKey } from '../../core/members/member';
import { type AccessMode, accessModes } from '../../core/catalog/resource';
import { PROBLEM_MEDIA_TYPE } from '../../core/problem';
import {
  exchangeHeaders,
  type HttpRequestParts,
  SignatureError,
  signResponse,
  verifyRequest,
} from '../exchange/http-signatures';
import { NodeError, type NodeProblem, nodeProblem } from '../service/node-errors';
import type { NodeService, PeerAnswer } from '../service/node-service';

const peerModes: ReadonlySet<string> = new Set(accessModes);

export interface PeerRequest extends HttpRequestParts {
  body: Buffer;
  /** The mode named by the request's path (not yet checked). */
  mode: string;
  /** Where the request came from, for counting unverified callers. */
  clientAddress: string;
}

export type PeerOutcome =
  /** Not verified (or too many unverified from this address): an unsigned problem, nobody's access. */
  | { kind: 'unverified'; problem: NodeProblem; retryAfterSeconds?: number }
  /** A verified caller's answer or refusal, signed and bound to the request. */
  | { kind: 'signed'; status: number; headers: Record<string, string>; body: Buffer };

export interface PeerPipelineOptions {
  service: NodeService;
  now(): Date;
  /** The node's own key: answers are signed with it. */
  signer: MessageSigner;
  /** A caller's registered node key as a verifier of its algorithm's scheme (asked at every request: the
   * composition keeps one per key, an SM2 verifier's precomputation being costly). */
  verifierFor(key: NodeKey): MessageVerifier;
  windowSeconds: number;
}

function decodeHeader(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value.join(', ') : (value ?? '');
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

function plainHeader(value: string | string[] | undefined): string | null {
  if (value === undefined) return null;
  return (Array.isArray(value) ? value.join(', ') : value).slice(0, 64);
}

/** `member:keyId` as signed; only a well-formed pair names anyone. */
function splitKeyId(keyId: string): { member: string; id: string } | undefined {
  const match = /^([a-z][a-z0-9_]{1,31}):([A-Za-z0-9._-]{1,64})$/.exec(keyId);
  return match ? { member: match[1]!, id: match[2]! } : undefined;
}

function claimedKeyId(headers: Record<string, string | string[] | undefined>): string | undefined {
  const input = headers['signature-input'];
  const text = Array.isArray(input) ? input.join(',') : input;
  return text ? /keyid="([^"]+)"/.exec(text)?.[1] : undefined;
}

/**
 * Peer requests whose signature did not verify, per client address: past a limit in a minute, the address
 * is answered 429 without verifying anything (bounded memory; a restart forgets, which costs an attacker
 * nothing it could not do anyway — nothing is decided or read for such requests).
 */
class UnverifiedCallers {
  private readonly seen = new Map<string, { count: number; since: number }>();

  constructor(
    private readonly limit = 30,
    private readonly windowMs = 60_000,
  ) {}

  blocked(address: string, now = Date.now()): boolean {
    const entry = this.seen.get(address);
    return entry !== undefined && now - entry.since < this.windowMs && entry.count >= this.limit;
  }

  failed(address: string, now = Date.now()): void {
    const entry = this.seen.get(address);
    if (!entry || now - entry.since >= this.windowMs) {
      if (this.seen.size > 10_000) this.seen.clear();
      this.seen.set(address, { count: 1, since: now });
    } else {
      entry.count += 1;
    }
  }
}

export class PeerPipeline {
  private readonly unverified = new UnverifiedCallers();

  constructor(private readonly options: PeerPipelineOptions) {}

  async handle(request: PeerRequest): Promise<PeerOutcome> {
    // A caller whose signatures keep failing is turned away before any verifying work is done.
    if (this.unverified.blocked(request.clientAddress)) {
      return { kind: 'unverified', problem: nodeProblem('TOO_MANY_UNVERIFIED'), retryAfterSeconds: 60 };
    }
    try {
      return this.sign(request, await this.decide(request));
    } catch (error) {
      if (error instanceof SignatureError) {
        // Not verified, so not anyone's request: not logged as the access of the member it claims to be.
        this.unverified.failed(request.clientAddress);
        return { kind: 'unverified', problem: nodeProblem(error.code, error.message) };
      }
      if (error instanceof NodeError) {
        const problem = nodeProblem(error.code, error.message);
        return this.sign(request, {
          status: problem.status,
          contentType: PROBLEM_MEDIA_TYPE,
          body: Buffer.from(JSON.stringify(problem)),
        });
      }
      throw error;
    }
  }

  /** Signature, nonce, covert flag, mode and body, then the node's decision. Throws SignatureError unverified. */
  private async decide(request: PeerRequest): Promise<PeerAnswer> {
    const { service, windowSeconds } = this.options;
    const mode = peerModes.has(request.mode) ? (request.mode as AccessMode) : null;
    const claimed = claimedKeyId(request.headers);
    const claimedFacts = {
      claimedCaller: (claimed && splitKeyId(claimed)?.member) || 'unknown',
      agreementId: plainHeader(request.headers[exchangeHeaders.agreement]),
      requestId: plainHeader(request.headers[exchangeHeaders.requestId]),
      requestDigest: plainHeader(request.headers['content-digest']),
      mode,
    };
    const key = claimed ? await this.lookupKey(claimed) : undefined;
    const verified = verifyRequest(request, { now: this.options.now(), windowSeconds, lookupKey: () => key });
    const caller = splitKeyId(verified.keyId)!.member;
    const signed = { ...claimedFacts, signerKey: verified.keyId, nonce: verified.nonce ?? null };
    const fresh = service.claimNonce(
      verified.keyId,
      verified.nonce!,
      new Date(verified.created.getTime() + 2 * windowSeconds * 1000),
    );
    const covertUntil = plainHeader(request.headers[exchangeHeaders.covertUntil]);
    if (covertUntil !== null && !verified.covered.includes(exchangeHeaders.covertUntil)) {
      // An uncovered flag could have been added on the way: the signer did not ask for it.
      return service.refuseUnverified(
        signed,
        'SIGNATURE_COMPONENTS_MISSING',
        `signature does not cover ${exchangeHeaders.covertUntil}`,
      );
    }
    if (!fresh)
      return service.refuseUnverified(signed, 'SIGNATURE_REPLAYED', `nonce ${verified.nonce} was already used`);
    if (!mode) return service.refuseUnverified(signed, 'NOT_FOUND', `no access mode ${request.mode}`);
    let payload: unknown;
    try {
      payload = JSON.parse(request.body.toString('utf8'));
    } catch {
      return service.refuseUnverified(signed, 'BAD_REQUEST', 'the body is not JSON');
    }
    return service.serve({
      caller,
      mode,
      agreementId: claimedFacts.agreementId ?? '',
      purpose: decodeHeader(request.headers[exchangeHeaders.purpose]),
      officer: decodeHeader(request.headers[exchangeHeaders.officer]).slice(0, 64),
      caseId: decodeHeader(request.headers[exchangeHeaders.caseId]).slice(0, 64),
      requestId: claimedFacts.requestId ?? '',
      requestDigest: claimedFacts.requestDigest ?? '',
      signerKey: verified.keyId,
      nonce: verified.nonce!,
      covertUntil,
      payload,
    });
  }

  private sign(
    request: PeerRequest,
    answer: { status: number; contentType: string; body: Buffer; retryAfterMs?: number | undefined },
  ): PeerOutcome {
    const headers = signResponse(
      {
        status: answer.status,
        headers: {
          'content-type': answer.contentType,
          [exchangeHeaders.requestId]: plainHeader(request.headers[exchangeHeaders.requestId]) ?? '',
        },
        body: answer.body,
      },
      request,
      { key: this.options.signer, created: this.options.now(), tag: 'hutong-response' },
    );
    // RFC 9110 §10.2.3 for a throttled caller (rate limit, daily question budget); not covered by the signature.
    if (answer.retryAfterMs) headers['retry-after'] = String(Math.ceil(answer.retryAfterMs / 1000));
    return { kind: 'signed', status: answer.status, headers, body: answer.body };
  }

  // Which key is a member's current one is asked every time (a replaced key stops at once).
  private async lookupKey(keyId: string): Promise<MessageVerifier | undefined> {
    const parts = splitKeyId(keyId);
    if (!parts) return undefined;
    const key = await this.options.service.publicKey(parts.member, parts.id);
    return key && this.options.verifierFor(key);
  }
}
