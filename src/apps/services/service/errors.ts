/**
 * The 一网通办 application's own error codes. Its routes render them as RFC 9457 problem+json with the
 * same shape as the hub's; clients branch on `code`. Bad input is a 4xx with a stable code, never a 500.
 */
import type { ServiceErrorCode } from '../../../core/error-catalogue';
import { CodedError, type ErrorIssue } from '../../../core/errors';

export type { ServiceErrorCode } from '../../../core/error-catalogue';

export type ServiceIssue = ErrorIssue;

export class ServiceError extends CodedError<ServiceErrorCode> {
  override readonly name = 'ServiceError';

  constructor(code: ServiceErrorCode, detail?: string, issues?: readonly ServiceIssue[]) {
    super(code, detail, issues);
  }
}
