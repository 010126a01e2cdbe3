/**
 * The error model. Every failure the product reports is a `CodedError`: a stable code from the one
 * catalogue (`error-catalogue.ts`: code → HTTP status and title), a detail for people, and the fields at
 * fault; the edge renders it as an RFC 9457 problem (src/core/problem.ts). Each area's subclass narrows the
 * codes to its own section; the hub's, `HutongError`, is below.
 */
import { type AnyErrorCode, type CatalogueEntry, type ErrorCode, errorCatalogue } from './error-catalogue';

export type { CatalogueEntry, ErrorCode } from './error-catalogue';
export { errorCatalogue } from './error-catalogue';

export type ErrorCatalogue<Code extends string> = Readonly<Record<Code, CatalogueEntry>>;

export interface ErrorIssue {
  path: string;
  message: string;
}

/** The one error base: callers and tests branch on `code`, never on the message (which may echo input). */
export class CodedError<Code extends AnyErrorCode = AnyErrorCode> extends Error {
  readonly issues: ErrorIssue[];

  constructor(
    readonly code: Code,
    detail?: string,
    issues?: readonly ErrorIssue[],
  ) {
    super(detail ?? errorCatalogue[code as AnyErrorCode].title);
    this.issues = issues ? [...issues] : [];
  }

  get httpStatus(): number {
    return errorCatalogue[this.code].httpStatus;
  }

  get title(): string {
    return errorCatalogue[this.code].title;
  }
}

export class HutongError extends CodedError<ErrorCode> {
  override readonly name = 'HutongError';

  constructor(code: ErrorCode, detail?: string, issues?: readonly ErrorIssue[]) {
    super(code, detail, issues);
  }
}

export function isHutongError(value: unknown): value is HutongError {
  return value instanceof HutongError;
}
