/**
 * The 亩均论英雄 application's own error codes with their HTTP status. Its routes render them as RFC 9457
 * problems (src/core/problem.ts); clients branch on `code`. Bad input is a 4xx with a stable code, never a 500.
 */
export const evaluationErrors = {
  VALIDATION_FAILED: { status: 400, title: '请求参数不合法 / Invalid request' },
  CONFIG_INVALID: { status: 400, title: '评价办法不合法 / Invalid methodology' },
  UNKNOWN_FIGURE: { status: 400, title: '没有这项数据 / Unknown figure' },
  REASON_REQUIRED: { status: 400, title: '必须填写异议理由 / A reason is required' },
  UNAUTHENTICATED: { status: 401, title: '未登录或令牌无效 / Authentication required' },
  FORBIDDEN_ROLE: { status: 403, title: '无权进行此操作 / Not allowed for this role' },
  NOT_SUPPLIER_OF_FIGURE: {
    status: 403,
    title: '只有提供该数据的部门可以提出异议 / Only the supplying department may object',
  },
  CONFIG_NOT_FOUND: { status: 404, title: '评价办法不存在 / Methodology not found' },
  EVALUATION_NOT_FOUND: { status: 404, title: '评价不存在 / Evaluation not found' },
  ENTERPRISE_NOT_FOUND: { status: 404, title: '评价中没有该企业 / Enterprise not in this evaluation' },
  OBJECTION_NOT_FOUND: { status: 404, title: '异议不存在 / Objection not found' },
  EVALUATION_NOT_READY: { status: 409, title: '评价尚未完成 / Evaluation not finished' },
  OBJECTION_CLOSED: { status: 409, title: '该异议已处理 / Objection already resolved' },
  FIGURE_NOT_USED: { status: 409, title: '该数据未在本次评价中使用 / Figure not used in this evaluation' },
} as const satisfies Record<string, { status: number; title: string }>;

export type EvaluationErrorCode = keyof typeof evaluationErrors;

export class EvaluationError extends Error {
  override readonly name = 'EvaluationError';
  constructor(
    readonly code: EvaluationErrorCode,
    detail?: string,
    readonly issues?: { path: string; message: string }[],
  ) {
    super(detail ?? evaluationErrors[code].title);
  }

  get status(): number {
    return evaluationErrors[this.code].status;
  }
}
