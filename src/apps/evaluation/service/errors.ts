/**
 * The 亩均论英雄 application's own error codes with their HTTP status. Its routes render them as RFC 9457
 * problems (src/core/problem.ts); clients branch on `code`. Bad input is a 4xx with a stable code, never a 500.
 */
import type { EvaluationErrorCode } from '../../../core/error-catalogue';
import { CodedError, type ErrorIssue } from '../../../core/errors';

export type { EvaluationErrorCode } from '../../../core/error-catalogue';

export class EvaluationError extends CodedError<EvaluationErrorCode> {
  override readonly name = 'EvaluationError';

  constructor(code: EvaluationErrorCode, detail?: string, issues?: readonly ErrorIssue[]) {
    super(code, detail, issues);
  }
}
