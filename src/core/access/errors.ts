/**
 * Error codes of the node's access core. The hub-wide catalogue in `../errors` belongs to the hub; a
 * department node refuses requests for reasons the hub never has (stale agreement, too narrow a query),
 * so the node keeps its own stable codes here. The HTTP edge maps `httpStatus` to the response status
 * and renders RFC 9457 problem details with `code` as the problem type suffix.
 */
import type { AgreementStatus } from '../agreements/agreement';
import { type AccessErrorCode, errorCatalogue } from '../error-catalogue';
import { CodedError, type ErrorIssue } from '../errors';

export type { AccessErrorCode } from '../error-catalogue';

export type AccessIssue = ErrorIssue;

/** Extra facts a refusal carries so the edge can tell the caller what to do (never row data). */
export interface AccessErrorFacts {
  status?: AgreementStatus | undefined;
  items?: string[] | undefined;
  retryAfterMs?: number | undefined;
}

export class AccessError extends CodedError<AccessErrorCode> {
  override readonly name = 'AccessError';

  constructor(
    code: AccessErrorCode,
    detail?: string,
    issues: readonly AccessIssue[] = [],
    readonly facts: AccessErrorFacts = {},
  ) {
    super(code, detail, issues);
  }
}

export function isAccessError(value: unknown): value is AccessError {
  return value instanceof AccessError;
}

export function accessHttpStatus(code: AccessErrorCode): number {
  return errorCatalogue[code].httpStatus;
}
