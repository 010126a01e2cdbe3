/**
 * The error model. Every failure the product reports is a `CodedError`: a stable code from its area's
 * catalogue (code → HTTP status and title), a detail for people, and the fields at fault; the edge renders
 * it as an RFC 9457 problem (src/core/problem.ts). Each area owns its catalogue — the hub's is below; the
 * node's access core, the node's exchange and each hosted app keep theirs beside their code.
 */

export interface CatalogueEntry {
  httpStatus: number;
  title: string;
}

export type ErrorCatalogue<Code extends string> = Readonly<Record<Code, CatalogueEntry>>;

export interface ErrorIssue {
  path: string;
  message: string;
}

/** The one error base: callers and tests branch on `code`, never on the message (which may echo input). */
export class CodedError<Code extends string = string> extends Error {
  readonly issues: ErrorIssue[];

  constructor(
    readonly code: Code,
    private readonly catalogue: ErrorCatalogue<Code>,
    detail?: string,
    issues?: readonly ErrorIssue[],
  ) {
    super(detail ?? catalogue[code].title);
    this.issues = issues ? [...issues] : [];
  }

  get httpStatus(): number {
    return this.catalogue[this.code].httpStatus;
  }

  get title(): string {
    return this.catalogue[this.code].title;
  }
}

/** The hub's codes. */
export const errorCatalogue = {
  VALIDATION_FAILED: { httpStatus: 400, title: '请求参数不合法 / Invalid request' },
  MALFORMED_JSON: { httpStatus: 400, title: '请求体不是合法的 JSON / Malformed JSON body' },
  UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, title: '不支持的内容类型 / Unsupported media type' },
  PAYLOAD_TOO_LARGE: { httpStatus: 413, title: '请求体过大 / Payload too large' },
  NOT_FOUND: { httpStatus: 404, title: '资源不存在 / Not found' },
  METHOD_NOT_ALLOWED: { httpStatus: 405, title: '不支持的方法 / Method not allowed' },
  UNAUTHENTICATED: { httpStatus: 401, title: '未登录或令牌无效 / Authentication required' },
  INVALID_CREDENTIALS: { httpStatus: 401, title: '用户名或密码错误 / Invalid credentials' },
  FORBIDDEN_ROLE: { httpStatus: 403, title: '无此操作权限 / Role not allowed' },
  ROLE_NOT_ALLOWED: {
    httpStatus: 403,
    title: '该类成员单位不能设此角色 / This kind of member cannot hold the role',
  },
  NOT_OWN_MEMBER: { httpStatus: 403, title: '不能代表其他单位操作 / Cannot act for another member' },
  NOT_PROVIDER_OF_RESOURCE: { httpStatus: 403, title: '不是该资源的提供方 / Not the provider of this resource' },
  NOT_PARTY_TO_AGREEMENT: { httpStatus: 403, title: '不是该协议的当事方 / Not a party to this agreement' },
  MEMBER_NOT_FOUND: { httpStatus: 404, title: '成员单位不存在 / Member not found' },
  MEMBER_EXISTS: { httpStatus: 409, title: '成员单位已存在 / Member already exists' },
  INVALID_NODE_URL: { httpStatus: 400, title: '前置机地址不合法 / Invalid node URL' },
  NODE_URL_NOT_ALLOWED: {
    httpStatus: 400,
    title: '前置机地址不在允许的网络内 / Node URL outside the allowed networks',
  },
  RESOURCE_NOT_FOUND: { httpStatus: 404, title: '资源目录不存在 / Resource not found' },
  RESOURCE_EXISTS: { httpStatus: 409, title: '资源目录已存在 / Resource already exists' },
  RESOURCE_NOT_SHAREABLE: { httpStatus: 409, title: '该资源不予共享 / Resource is not shared' },
  LEGAL_BASIS_REQUIRED: { httpStatus: 400, title: '不予共享须列明法律或政策依据 / Legal basis required' },
  CONDITIONS_REQUIRED: { httpStatus: 400, title: '有条件共享须列明共享条件 / Sharing conditions required' },
  DUPLICATE_ITEM: { httpStatus: 400, title: '信息项重复 / Duplicate data item' },
  ITEM_NOT_IN_RESOURCE: { httpStatus: 400, title: '信息项不属于该资源 / Item not in resource' },
  MODE_NOT_ALLOWED: { httpStatus: 400, title: '该资源不支持此访问方式 / Access mode not allowed' },
  NOT_A_CONSUMER: { httpStatus: 403, title: '只有数据使用方可以申请 / Only consumers may apply' },
  OWN_RESOURCE: { httpStatus: 409, title: '不能申请本单位的资源 / Cannot apply for own resource' },
  INVALID_PERIOD: { httpStatus: 400, title: '有效期不合法 / Invalid validity period' },
  NOT_A_NARROWING: { httpStatus: 400, title: '审批只能缩小申请范围 / Approval may only narrow the request' },
  REASON_REQUIRED: { httpStatus: 400, title: '必须填写理由 / A reason is required' },
  AGREEMENT_NOT_FOUND: { httpStatus: 404, title: '共享协议不存在 / Agreement not found' },
  INVALID_TRANSITION: { httpStatus: 409, title: '当前状态不允许此操作 / Not allowed in the current state' },
  AGREEMENT_EXPIRED: { httpStatus: 409, title: '共享协议已过期 / Agreement expired' },
  AGREEMENT_REVOKED: { httpStatus: 409, title: '共享协议已撤销 / Agreement revoked' },
  SAME_APPROVER: { httpStatus: 409, title: '上级审批须由另一人完成 / Second approval needs another person' },
  CONCURRENT_UPDATE: { httpStatus: 409, title: '数据已被他人修改，请刷新 / Concurrent update' },
  USER_EXISTS: { httpStatus: 409, title: '用户已存在 / User already exists' },
  PASSWORD_TOO_SHORT: { httpStatus: 400, title: '密码太短 / Password too short' },
  PASSWORD_TOO_LONG: { httpStatus: 400, title: '密码太长 / Password too long' },
  PASSWORD_TOO_COMMON: { httpStatus: 400, title: '密码过于常见 / Password too common' },
  NODE_SIGNATURE_REQUIRED: {
    httpStatus: 401,
    title: '须由前置机以本单位现用密钥签名 / Must be signed with the member’s current node key',
  },
  NODE_SIGNATURE_INVALID: { httpStatus: 401, title: '前置机签名无效 / Node signature does not verify' },
  SESSION_CANNOT_WRITE_LEDGER: {
    httpStatus: 403,
    title:
      '登录会话不能写入账本，访问记录只能由前置机报送 / Sessions cannot write the ledger: only nodes ship access records',
  },
  SHIPMENT_REPLAYED: { httpStatus: 409, title: '重复报送（重放）/ Replayed shipment' },
  CHAIN_GAP: { httpStatus: 409, title: '访问记录序号不连续 / Records are missing in between' },
  CHAIN_FORK: { httpStatus: 409, title: '访问记录与账本中的记录链不一致 / Records do not continue the logged chain' },
  SEAL_INVALID: { httpStatus: 400, title: '前置机对记录链的签名无效 / The node’s seal does not verify' },
  INVALID_ID_NUMBER: { httpStatus: 400, title: '公民身份号码不正确 / Invalid ID number' },
  INVALID_CREDIT_CODE: { httpStatus: 400, title: '统一社会信用代码不正确 / Invalid credit code' },
  IDENTITY_NOT_VERIFIED: { httpStatus: 401, title: '身份核验未通过 / Identity not verified' },
  LOGIN_THROTTLED: { httpStatus: 429, title: '核验失败次数过多，请稍后再试 / Too many failed attempts' },
  TOO_MANY_ATTEMPTS: { httpStatus: 429, title: '尝试次数过多，请稍后再试 / Too many attempts' },
  IDENTITY_SERVICE_UNAVAILABLE: { httpStatus: 503, title: '身份核验服务暂不可用 / Identity check unavailable' },
  SUBJECT_ONLY: { httpStatus: 403, title: '仅限居民或企业本人查询 / For residents and enterprises only' },
  INTERNAL: { httpStatus: 500, title: '内部错误 / Internal error' },
} as const satisfies Record<string, CatalogueEntry>;

export type ErrorCode = keyof typeof errorCatalogue;

export class HutongError extends CodedError<ErrorCode> {
  override readonly name = 'HutongError';

  constructor(code: ErrorCode, detail?: string, issues?: readonly ErrorIssue[]) {
    super(code, errorCatalogue, detail, issues);
  }
}

export function isHutongError(value: unknown): value is HutongError {
  return value instanceof HutongError;
}
