/**
 * Every error code the product answers with — the hub, the nodes, the applications — with its HTTP status
 * and its title (Chinese, then English). One catalogue, so a code means the same thing wherever it comes
 * from and a client decodes every problem alike; each area throws only its own section's codes (and the
 * common ones), which its error class's code union enforces.
 */

/** A code's HTTP status and title. */
export interface CatalogueEntry {
  httpStatus: number;
  title: string;
}

type Entries = Record<string, CatalogueEntry>;

/** Codes every area may answer with: malformed input, authentication, roles, absence, failure. */
const common = {
  VALIDATION_FAILED: { httpStatus: 400, title: '请求参数不合法 / Invalid request' },
  MALFORMED_JSON: { httpStatus: 400, title: '请求体不是合法的 JSON / Malformed JSON body' },
  UNSUPPORTED_MEDIA_TYPE: { httpStatus: 415, title: '不支持的内容类型 / Unsupported media type' },
  PAYLOAD_TOO_LARGE: { httpStatus: 413, title: '请求体过大 / Payload too large' },
  NOT_FOUND: { httpStatus: 404, title: '资源不存在 / Not found' },
  UNAUTHENTICATED: { httpStatus: 401, title: '未登录或令牌无效 / Authentication required' },
  FORBIDDEN_ROLE: { httpStatus: 403, title: '无此操作权限 / Role not allowed' },
  REASON_REQUIRED: { httpStatus: 400, title: '必须填写理由 / A reason is required' },
  INVALID_ID_NUMBER: { httpStatus: 400, title: '公民身份号码不正确 / Invalid ID number' },
  INTERNAL: { httpStatus: 500, title: '内部错误，已记录 / Internal error, logged' },
} as const satisfies Entries;

/** The hub's: members, catalog, agreements, accounts, the ledger's intake, residents' logins. */
const hub = {
  METHOD_NOT_ALLOWED: { httpStatus: 405, title: '不支持的方法 / Method not allowed' },
  INVALID_CREDENTIALS: { httpStatus: 401, title: '用户名或密码错误 / Invalid credentials' },
  PASSWORD_CHANGE_REQUIRED: {
    httpStatus: 403,
    title: '请先修改一次性初始密码 / Change the one-time password first',
  },
  NOT_READY: { httpStatus: 503, title: '服务尚未就绪 / Not ready' },
  PASSWORD_UNCHANGED: { httpStatus: 400, title: '新密码不能与原密码相同 / The new password must differ' },
  ROLE_NOT_ALLOWED: {
    httpStatus: 403,
    title: '该类成员单位不能设此角色 / This kind of member cannot hold the role',
  },
  NOT_OWN_MEMBER: { httpStatus: 403, title: '不能代表其他单位操作 / Cannot act for another member' },
  NOT_PROVIDER_OF_RESOURCE: { httpStatus: 403, title: '不是该资源的提供方 / Not the provider of this resource' },
  NOT_PARTY_TO_AGREEMENT: { httpStatus: 403, title: '不是该协议的当事方 / Not a party to this agreement' },
  MEMBER_NOT_FOUND: { httpStatus: 404, title: '成员单位不存在 / Member not found' },
  MEMBER_EXISTS: { httpStatus: 409, title: '成员单位已存在 / Member already exists' },
  CRYPTO_SUITE_MISMATCH: {
    httpStatus: 409,
    title: '前置机的密码算法套件与平台不一致 / The node’s cryptographic suite is not the city’s',
  },
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
  INVALID_CREDIT_CODE: { httpStatus: 400, title: '统一社会信用代码不正确 / Invalid credit code' },
  IDENTITY_NOT_VERIFIED: { httpStatus: 401, title: '身份核验未通过 / Identity not verified' },
  LOGIN_THROTTLED: { httpStatus: 429, title: '核验失败次数过多，请稍后再试 / Too many failed attempts' },
  TOO_MANY_ATTEMPTS: { httpStatus: 429, title: '尝试次数过多，请稍后再试 / Too many attempts' },
  IDENTITY_SERVICE_UNAVAILABLE: { httpStatus: 503, title: '身份核验服务暂不可用 / Identity check unavailable' },
  SUBJECT_ONLY: { httpStatus: 403, title: '仅限居民或企业本人查询 / For residents and enterprises only' },
} as const satisfies Entries;

/** The node's access core: a decision about one request under one agreement. */
const access = {
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
  MODE_NOT_GRANTED: { httpStatus: 403, title: '协议未授权该访问方式 / Mode not granted by the agreement' },
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
} as const satisfies Entries;

/** The node's exchange: signatures, request shape, audit, the peer call. */
const exchange = {
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
  NODE_NOT_READY: { httpStatus: 503, title: '前置机尚未就绪 / Node not ready' },
  CHAIN_MISMATCH: {
    httpStatus: 502,
    title: '共享中心账本中的本单位记录与前置机不一致 / The hub logged a record this node did not make',
  },
  PROVIDER_UNREACHABLE: { httpStatus: 502, title: '无法连接提供方前置机 / Provider node unreachable' },
  RESPONSE_UNVERIFIED: { httpStatus: 502, title: '提供方应答签名无效 / Provider response not verified' },
  TOO_MANY_UNVERIFIED: {
    httpStatus: 429,
    title: '签名无法验证的请求过多，请稍后再试 / Too many unverified requests from this address',
  },
} as const satisfies Entries;

/** 一网通办 (src/apps/services). */
const services = {
  INVALID_NAME: { httpStatus: 400, title: '姓名不正确 / Invalid name' },
  CONSENT_REQUIRED: { httpStatus: 400, title: '须先同意核验 / Consent to the checks is required' },
  INVALID_MONTH: { httpStatus: 400, title: '月份不正确 / Invalid month' },
  INVALID_CERTIFICATE: { httpStatus: 400, title: '证照数据无法解析 / Malformed certificate' },
  RESIDENT_LOGIN_REQUIRED: {
    httpStatus: 401,
    title: '请先以本人身份登录（公民身份号码 + 姓名）/ Log in as yourself first (ID number and name)',
  },
  NOT_OWN_ID_NUMBER: { httpStatus: 403, title: '只能为本人申请 / You can apply only for yourself' },
  IDEMPOTENCY_KEY_REUSED: {
    httpStatus: 409,
    title: '幂等键已用于另一请求 / The Idempotency-Key was used for another request',
  },
  RECEIPT_REQUIRED: { httpStatus: 403, title: '须凭办件回执查询 / The application receipt is required' },
  ITEM_NOT_FOUND: { httpStatus: 404, title: '办事事项不存在 / Service item not found' },
  APPLICATION_NOT_FOUND: { httpStatus: 404, title: '办件不存在 / Application not found' },
  NO_SWEEP: { httpStatus: 409, title: '该事项不做免申即享筛查 / This item has no sweep' },
  ALREADY_DECIDED: { httpStatus: 409, title: '办件已办结 / Application already decided' },
  CHECKS_UNAVAILABLE: { httpStatus: 503, title: '部门核验暂不可用，请稍后再试 / Department checks unavailable' },
  INVALID_ITEM_DEFINITION: { httpStatus: 500, title: '事项定义不合法 / Invalid item definition' },
} as const satisfies Entries;

/** 亩均论英雄 (src/apps/evaluation). */
const evaluation = {
  CONFIG_INVALID: { httpStatus: 400, title: '评价办法不合法 / Invalid methodology' },
  UNKNOWN_FIGURE: { httpStatus: 400, title: '没有这项数据 / Unknown figure' },
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
} as const satisfies Entries;

/** The log's public routes (src/ledger/http): reading tiles, entries and proofs. */
const ledger = {
  BAD_TILE_PATH: { httpStatus: 400, title: '瓦片路径不合法 / Malformed tile path' },
  BAD_TILE: { httpStatus: 400, title: '瓦片不合法 / Invalid tile' },
  BAD_NUMBER: { httpStatus: 400, title: '数字格式不合法 / Malformed number' },
  BAD_RANGE: { httpStatus: 400, title: '范围不合法 / Invalid range' },
  INDEX_OUT_OF_RANGE: { httpStatus: 404, title: '超出日志当前范围 / Beyond the log’s current size' },
} as const satisfies Entries;

/** The sections, for checking that no code is defined twice. */
export const catalogueSections = { common, hub, access, exchange, services, evaluation, ledger } as const;

export const errorCatalogue = {
  ...common,
  ...hub,
  ...access,
  ...exchange,
  ...services,
  ...evaluation,
  ...ledger,
} as const;

export type AnyErrorCode = keyof typeof errorCatalogue;
export type CommonErrorCode = keyof typeof common;
/** The hub's codes. */
export type ErrorCode = CommonErrorCode | keyof typeof hub;
export type AccessErrorCode = keyof typeof access;
export type ExchangeErrorCode = CommonErrorCode | keyof typeof exchange;
export type ServiceErrorCode = CommonErrorCode | keyof typeof services;
export type EvaluationErrorCode = CommonErrorCode | keyof typeof evaluation;
export type LedgerRouteErrorCode = CommonErrorCode | keyof typeof ledger;

export function isLedgerRouteCode(code: string): code is LedgerRouteErrorCode {
  return Object.hasOwn(ledger, code) || Object.hasOwn(common, code);
}
