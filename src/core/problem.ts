/**
 * RFC 9457 problem details: the one shape in which every hutong error leaves a process — hub, nodes (also inside
 * their signed answers) and hosted apps — with a stable `code` beside the standard members, its title and
 * HTTP status from the one catalogue (src/core/error-catalogue.ts); this module alone renders them.
 */
import { type AnyErrorCode, errorCatalogue } from './error-catalogue';
import type { CodedError, ErrorIssue } from './errors';

/** RFC 9457 §3: the media type of a problem document. */
export const PROBLEM_MEDIA_TYPE = 'application/problem+json';

const TYPE_BASE = 'https://hutong.qinghe.gov.cn/problems/';

export interface ProblemDocument<Code extends string = string> {
  /** RFC 9457 §3.1.1: a URI per code (a namespace such as `ledger-` keeps two catalogues' codes apart). */
  type: string;
  title: string;
  status: number;
  detail: string;
  code: Code;
  instance?: string;
  /** The fields at fault, for input that did not validate. */
  errors?: ErrorIssue[];
}

export interface ProblemOptions {
  detail?: string | undefined;
  instance?: string | undefined;
  errors?: readonly ErrorIssue[] | undefined;
  namespace?: string | undefined;
}

/** A problem document for `code`, from its catalogue entry (title and HTTP status). */
export function problemDocument<Code extends string>(
  code: Code,
  entry: { title: string; status: number },
  options: ProblemOptions = {},
): ProblemDocument<Code> {
  return {
    type: `${TYPE_BASE}${options.namespace ?? ''}${code.toLowerCase().replaceAll('_', '-')}`,
    title: entry.title,
    status: entry.status,
    detail: options.detail ?? entry.title,
    code,
    ...(options.instance === undefined ? {} : { instance: options.instance }),
    ...(options.errors && options.errors.length > 0 ? { errors: [...options.errors] } : {}),
  };
}

/** The problem document of a code of the one catalogue (src/core/error-catalogue.ts): its title and status. */
export function problemFor<Code extends AnyErrorCode>(code: Code, options: ProblemOptions = {}): ProblemDocument<Code> {
  const entry = errorCatalogue[code];
  return problemDocument(code, { title: entry.title, status: entry.httpStatus }, options);
}

/** The problem document of a coded error (its catalogue's title and status, its detail and fields). */
export function problemOf<Code extends AnyErrorCode>(
  error: CodedError<Code>,
  instance?: string,
): ProblemDocument<Code> {
  return problemFor(error.code, { detail: error.message, errors: error.issues, instance });
}

/** A refusal as a client reads it: the server's code and detail, or stand-ins when the body is not a problem. */
export interface DecodedProblem {
  status: number;
  code: string;
  detail: string;
  errors: ErrorIssue[];
}

function text(value: unknown, max: number): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value.slice(0, max) : undefined;
}

/**
 * Reads a failed response's body (the text as received: JSON or not, from a server that may be anyone's) into
 * its code, detail and field errors. The one decoder of the CLI, the exchange client and the console.
 */
export function decodeProblem(status: number, body: unknown, statusText = ''): DecodedProblem {
  let parsed: unknown = body;
  if (typeof body === 'string') {
    try {
      parsed = JSON.parse(body);
    } catch {
      parsed = undefined;
    }
  }
  const problem = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  const errors = Array.isArray(problem.errors)
    ? problem.errors
        .filter(
          (issue): issue is ErrorIssue =>
            typeof issue === 'object' &&
            issue !== null &&
            typeof (issue as ErrorIssue).path === 'string' &&
            typeof (issue as ErrorIssue).message === 'string',
        )
        .slice(0, 100)
        .map(({ path, message }) => ({ path, message }))
    : [];
  return {
    status,
    code: text(problem.code, 64) ?? `HTTP_${status}`,
    detail: text(problem.detail, 4000) ?? text(problem.title, 4000) ?? statusText,
    errors,
  };
}
