/**
 * RFC 9457 problem details: the one shape in which every hutong error leaves a process — hub, nodes (also inside
 * their signed answers) and hosted apps — with a stable `code` beside the standard members. Each area keeps its
 * own code catalogue (code → title and HTTP status); this module alone renders them.
 */
import type { ErrorIssue } from './errors';

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
