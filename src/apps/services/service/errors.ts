/**
 * The 一网通办 application's own error codes. Its routes render them as RFC 9457 problem+json with the
 * same shape as the hub's; clients branch on `code`. Bad input is a 4xx with a stable code, never a 500.
 */
import { type CatalogueEntry, CodedError, type ErrorIssue } from '../../../core/errors';

export const serviceErrors = {
  VALIDATION_FAILED: { httpStatus: 400, title: '请求参数不合法 / Invalid request' },
  INVALID_ID_NUMBER: { httpStatus: 400, title: '公民身份号码不正确 / Invalid ID number' },
  INVALID_NAME: { httpStatus: 400, title: '姓名不正确 / Invalid name' },
  CONSENT_REQUIRED: { httpStatus: 400, title: '须先同意核验 / Consent to the checks is required' },
  INVALID_MONTH: { httpStatus: 400, title: '月份不正确 / Invalid month' },
  INVALID_CERTIFICATE: { httpStatus: 400, title: '证照数据无法解析 / Malformed certificate' },
  UNAUTHENTICATED: { httpStatus: 401, title: '未登录或令牌无效 / Authentication required' },
  RESIDENT_LOGIN_REQUIRED: {
    httpStatus: 401,
    title: '请先以本人身份登录（公民身份号码 + 姓名）/ Log in as yourself first (ID number and name)',
  },
  NOT_OWN_ID_NUMBER: { httpStatus: 403, title: '只能为本人申请 / You can apply only for yourself' },
  IDEMPOTENCY_KEY_REUSED: {
    httpStatus: 409,
    title: '幂等键已用于另一请求 / The Idempotency-Key was used for another request',
  },
  FORBIDDEN_ROLE: { httpStatus: 403, title: '仅限政务服务窗口人员 / Counter staff only' },
  RECEIPT_REQUIRED: { httpStatus: 403, title: '须凭办件回执查询 / The application receipt is required' },
  ITEM_NOT_FOUND: { httpStatus: 404, title: '办事事项不存在 / Service item not found' },
  APPLICATION_NOT_FOUND: { httpStatus: 404, title: '办件不存在 / Application not found' },
  NOT_FOUND: { httpStatus: 404, title: '资源不存在 / Not found' },
  NO_SWEEP: { httpStatus: 409, title: '该事项不做免申即享筛查 / This item has no sweep' },
  ALREADY_DECIDED: { httpStatus: 409, title: '办件已办结 / Application already decided' },
  CHECKS_UNAVAILABLE: { httpStatus: 503, title: '部门核验暂不可用，请稍后再试 / Department checks unavailable' },
  INVALID_ITEM_DEFINITION: { httpStatus: 500, title: '事项定义不合法 / Invalid item definition' },
  INTERNAL: { httpStatus: 500, title: '内部错误 / Internal error' },
} as const satisfies Record<string, CatalogueEntry>;

export type ServiceErrorCode = keyof typeof serviceErrors;

export type ServiceIssue = ErrorIssue;

export class ServiceError extends CodedError<ServiceErrorCode> {
  override readonly name = 'ServiceError';

  constructor(code: ServiceErrorCode, detail?: string, issues?: readonly ServiceIssue[]) {
    super(code, serviceErrors, detail, issues);
  }
}
