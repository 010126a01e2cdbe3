/**
 * The 亩均论英雄 application's own error codes with their HTTP status. Its routes render them as RFC 9457
 * problems (src/core/problem.ts); clients branch on `code`. Bad input is a 4xx with a stable code, never a 500.
 */
import { type CatalogueEntry, CodedError, type ErrorIssue } from '../../../core/errors';

export const evaluationErrors = {
  VALIDATION_FAILED: { httpStatus: 400, title: '请求参数不合法 / Invalid request' },
  CONFIG_INVALID: { httpStatus: 400, title: '评价办法不合法 / Invalid methodology' },
  UNKNOWN_FIGURE: { httpStatus: 400, title: '没有这项数据 / Unknown figure' },
  REASON_REQUIRED: { httpStatus: 400, title: '必须填写异议理由 / A reason is required' },
  UNAUTHENTICATED: { httpStatus: 401, title: '未登录或令牌无效 / Authentication required' },
  FORBIDDEN_ROLE: { httpStatus: 403, title: '无权进行此操作 / Not allowed for this role' },
  NOT_SUPPLIER_OF_FIGURE: {
    httpStatus: 403,
    title: '只有提供该数据的部门可以提出异议 / Only the supplying department may object',
  },
  CONFIG_NOT_FOUND: { httpStatus: 404, title: '评价办法不存在 / Methodology not found' },
  EVALUATION_NOT_FOUND: { httpStatus: 404, title: '评价不存在 / Evaluation not found' },
  ENTERPRISE_NOT_FOUND: { httpStatus: 404, title: '评价中没有该企业 / Enterprise not in this evaluation' },
  OBJECTION_NOT_FOUND: { httpStatus: 404, title: '异议不存在 / Objection not found' },
  EVALUATION_NOT_READY: { httpStatus: 409, title: '评价尚未完成 / Evaluation not finished' },
  OBJECTION_CLOSED: { httpStatus: 409, title: '该异议已处理 / Objection already resolved' },
  FIGURE_NOT_USED: { httpStatus: 409, title: '该数据未在本次评价中使用 / Figure not used in this evaluation' },
} as const satisfies Record<string, CatalogueEntry>;

export type EvaluationErrorCode = keyof typeof evaluationErrors;

export class EvaluationError extends CodedError<EvaluationErrorCode> {
  override readonly name = 'EvaluationError';

  constructor(code: EvaluationErrorCode, detail?: string, issues?: readonly ErrorIssue[]) {
    super(code, evaluationErrors, detail, issues);
  }
}
