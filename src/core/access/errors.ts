/**
 * Error codes of the node's access core. The hub-wide catalogue in `../errors` belongs to the hub; a
 * department node refuses requests for reasons the hub never has (stale agreement, too narrow a query),
 * so the node keeps its own stable codes here. The HTTP edge maps `httpStatus` to the response status
 * and renders RFC 9457 problem details with `code` as the problem type suffix.
 */
import type { AgreementStatus } from '../agreements/agreement';
import { type CatalogueEntry, CodedError, type ErrorIssue } from '../errors';

export const accessErrorCatalogue = {
  BAD_SUBJECT_KEY: { httpStatus: 400, title: '主体标识不合法 / Malformed subject key' },
  BAD_PREDICATE: { httpStatus: 400, title: '核验条件不合法 / Invalid predicate' },
  PREDICATE_TOO_DEEP: { httpStatus: 400, title: '核验条件嵌套过深 / Predicate nested too deeply' },
  PREDICATE_TOO_LARGE: { httpStatus: 400, title: '核验条件过大 / Predicate too large' },
  BAD_QUERY: { httpStatus: 400, title: '统计查询不合法 / Invalid aggregate query' },
  NOT_A_DIMENSION: {
    httpStatus: 400,
    title: '只能按声明的统计维度分组或筛选 / Only declared dimensions may be grouped or filtered on',
  },
  QUERY_TOO_NARROW: { httpStatus: 422, title: '查询范围过小，可能识别个体 / Query too narrow' },
  BAD_PARAMETERS: { httpStatus: 400, title: '计算参数不合法 / Invalid computation parameters' },
  UNKNOWN_COMPUTATION: { httpStatus: 404, title: '未发布的计算 / Unknown computation' },
  BATCH_TOO_LARGE: { httpStatus: 413, title: '批量主体过多 / Batch too large' },
  BAD_MASKING_RULE: { httpStatus: 400, title: '脱敏规则不合法 / Invalid masking rule' },
  BAD_SOURCE_DATA: { httpStatus: 500, title: '源数据不合法 / Source data does not fit the catalog' },
  ITEM_NOT_ALLOWED: { httpStatus: 403, title: '协议未授权该信息项 / Item not granted by the agreement' },
  MODE_NOT_ALLOWED: { httpStatus: 403, title: '协议未授权该访问方式 / Mode not granted by the agreement' },
  AGREEMENT_UNKNOWN: { httpStatus: 403, title: '本节点不知道该共享协议 / Agreement unknown to this node' },
  AGREEMENT_NOT_ACTIVE: { httpStatus: 403, title: '共享协议不在生效状态 / Agreement not active' },
  AGREEMENT_NOT_YET_VALID: { httpStatus: 403, title: '共享协议尚未到生效日期 / Agreement not yet valid' },
  AGREEMENT_STALE: {
    httpStatus: 503,
    title: '无法确认共享协议的当前状态 / Agreement state could not be confirmed recently',
  },
  CONSUMER_MISMATCH: { httpStatus: 403, title: '调用方不是协议的使用方 / Caller is not the consumer' },
  PROVIDER_MISMATCH: { httpStatus: 403, title: '协议的提供方不是本节点 / Agreement is not for this node' },
  RESOURCE_MISMATCH: {
    httpStatus: 403,
    title: '请求的资源不是协议约定的资源 / Resource differs from the agreement',
  },
  RATE_LIMITED: { httpStatus: 429, title: '超过协议约定的调用频率 / Rate limit exceeded' },
  PREDICATE_NOT_AGREED: {
    httpStatus: 403,
    title: '协议未约定此核验问题 / The agreement does not allow this verify question',
  },
  VERIFY_BUDGET_EXHAUSTED: {
    httpStatus: 429,
    title: '今日对同一对象的核验问题已达上限 / Daily limit of distinct questions about this subject reached',
  },
} as const satisfies Record<string, CatalogueEntry>;

export type AccessErrorCode = keyof typeof accessErrorCatalogue;

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
    super(code, accessErrorCatalogue, detail, issues);
  }
}

export function isAccessError(value: unknown): value is AccessError {
  return value instanceof AccessError;
}

export function accessHttpStatus(code: AccessErrorCode): number {
  return accessErrorCatalogue[code].httpStatus;
}
