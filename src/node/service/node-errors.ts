/**
 * Refusal codes a node adds to the access core's: the exchange itself (signatures, request shape, audit).
 * The access core's codes (src/core/access/errors.ts) cover agreement, mode, item and rate decisions.
 */
import type { AccessErrorCode, ExchangeErrorCode } from '../../core/error-catalogue';
import { CodedError } from '../../core/errors';
import { type ProblemDocument, problemFor } from '../../core/problem';

/** What a node answers with: its exchange's codes and its access core's. */
export type NodeErrorCode = ExchangeErrorCode | AccessErrorCode;
export type { ExchangeErrorCode };

export class NodeError extends CodedError<NodeErrorCode> {
  override readonly name = 'NodeError';

  constructor(code: NodeErrorCode, detail?: string) {
    super(code, detail);
  }
}

export interface NodeProblem extends ProblemDocument<NodeErrorCode> {
  retryAfterMs?: number;
}

export function nodeProblem(
  code: NodeErrorCode,
  detail?: string,
  extra: { errors?: { path: string; message: string }[]; retryAfterMs?: number } = {},
): NodeProblem {
  return {
    ...problemFor(code, { detail, errors: extra.errors }),
    ...(extra.retryAfterMs ? { retryAfterMs: extra.retryAfterMs } : {}),
  };
}
