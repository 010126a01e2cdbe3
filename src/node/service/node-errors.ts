/**
 * Refusal codes a node adds to the access core's: the exchange itself (signatures, request shape, audit).
 * The access core's codes (src/core/access/errors.ts) cover agreement, mode, item and rate decisions.
 */
import { type AccessErrorCode, accessErrorCatalogue } from '../../core/access/errors';
import { type CatalogueEntry, CodedError, type ErrorCatalogue } from '../../core/errors';
import { type ProblemDocument, problemDocument } from '../../core/problem';

export const exchangeErrorCatalogue = {
  SIGNATURE_MISSING: { httpStatus: 401, title: '请求未签名 / Request is not signed' },
  SIGNATURE_MALFORMED: { httpStatus: 401, title: '签名格式错误 / Malformed signature' },
  SIGNATURE_COMPONENTS_MISSING: { httpStatus: 401, title: '签名未覆盖必需内容 / Signature misses components' },
  SIGNATURE_ALGORITHM_UNSUPPORTED: { httpStatus: 401, title: '不支持的签名算法 / Unsupported algorithm' },
  SIGNATURE_KEY_UNKNOWN: { httpStatus: 401, title: '未登记的签名密钥 / Unknown signing key' },
  SIGNATURE_INVALID: { httpStatus: 401, title: '签名无效 / Invalid signature' },
  SIGNATURE_STALE: { httpStatus: 401, title: '签名时间超出允许范围 / Signature outside the time window' },
  SIGNATURE_REPLAYED: { httpStatus: 409, title: '重复的请求（重放）/ Replayed request' },
  DIGEST_MISMATCH: { httpStatus: 400, title: '请求体与摘要不符 / Body does not match Content-Digest' },
  BAD_REQUEST: { httpStatus: 400, title: '请求格式错误 / Malformed request' },
  PURPOSE_MISMATCH: { httpStatus: 403, title: '用途与协议不符 / Purpose differs from the agreement' },
  BAD_COVERT_FLAG: {
    httpStatus: 400,
    title: '暂缓告知日期不合法 / hutong-covert-until must be a future date within the allowed period',
  },
  COVERT_NOT_ALLOWED: {
    httpStatus: 403,
    title: '该单位不得要求暂缓告知 / This consumer may not flag requests covert',
  },
  AUDIT_UNAVAILABLE: { httpStatus: 503, title: '审计记录无法保存，拒绝提供数据 / Audit unavailable: no data' },
  CHAIN_MISMATCH: {
    httpStatus: 502,
    title: '共享中心账本中的本单位记录与前置机不一致 / The hub logged a record this node did not make',
  },
  PROVIDER_UNREACHABLE: { httpStatus: 502, title: '无法连接提供方前置机 / Provider node unreachable' },
  RESPONSE_UNVERIFIED: { httpStatus: 502, title: '提供方应答签名无效 / Provider response not verified' },
  UNAUTHENTICATED: { httpStatus: 401, title: '未提供有效的本地令牌 / Local token required' },
  TOO_MANY_UNVERIFIED: {
    httpStatus: 429,
    title: '签名无法验证的请求过多，请稍后再试 / Too many unverified requests from this address',
  },
  PAYLOAD_TOO_LARGE: { httpStatus: 413, title: '请求体过大 / Payload too large' },
  UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, title: '不支持的内容类型 / Unsupported media type' },
  NOT_FOUND: { httpStatus: 404, title: '资源不存在 / Not found' },
  INTERNAL: { httpStatus: 500, title: '前置机内部错误，已记录 / Internal error, logged' },
} as const satisfies Record<string, CatalogueEntry>;

export type ExchangeErrorCode = keyof typeof exchangeErrorCatalogue;
export type NodeErrorCode = ExchangeErrorCode | AccessErrorCode;

/** What a node answers with: its exchange's codes and its access core's. */
const nodeErrorCatalogue: ErrorCatalogue<NodeErrorCode> = { ...accessErrorCatalogue, ...exchangeErrorCatalogue };

export function nodeErrorEntry(code: NodeErrorCode): CatalogueEntry {
  return nodeErrorCatalogue[code];
}

export class NodeError extends CodedError<NodeErrorCode> {
  override readonly name = 'NodeError';

  constructor(code: NodeErrorCode, detail?: string) {
    super(code, nodeErrorCatalogue, detail);
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
  const entry = nodeErrorEntry(code);
  return {
    ...problemDocument(code, { title: entry.title, status: entry.httpStatus }, { detail, errors: extra.errors }),
    ...(extra.retryAfterMs ? { retryAfterMs: extra.retryAfterMs } : {}),
  };
}
