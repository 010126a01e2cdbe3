/**
 * "Who used my data" at the hub: the ledger's entry search for departments and auditors, the withheld
 * (covert) accesses for auditors, and the residents' and enterprises' own login and data-usage view.
 * Subject sessions are a separate kind of token: they open only the `/me` routes, and a department's token
 * does not open those (SUBJECT_ONLY).
 */
import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HutongError } from '../../../core/errors';
import { ledgerEntryKinds } from '../../../core/ports/ledger-index';
import type { DataUsageService, SubjectPrincipal } from '../../service/data-usage-service';
import { type Authenticate, bearerToken, principalOf } from '../../../platform/http/auth';
import { bearerSecurity } from './common';

declare module 'fastify' {
  interface FastifyRequest {
    subject?: SubjectPrincipal;
  }
}

// A login checks the name against the register through its department's node: the name may not fit (401),
// guessing is throttled (429), and the register may not be reachable (503).
const loginProblems = [401, 429, 503];

const pageQuery = {
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
};

// A China date (YYYY-MM-DD, `to` inclusive) or an ISO 8601 instant; checked further by the service.
const periodValue = z.string().max(40).optional();

const entryQuerySchema = z.strictObject({
  requestId: z.string().max(64).optional(),
  officer: z.string().max(64).optional(),
  caseId: z.string().max(64).optional(),
  consumer: z.string().max(32).optional(),
  provider: z.string().max(32).optional(),
  resource: z.string().max(64).optional(),
  kind: z.enum(ledgerEntryKinds).optional(),
  decision: z.enum(['served', 'denied']).optional(),
  from: periodValue,
  to: periodValue,
  member: z.string().max(32).optional(),
  before: z.coerce.number().int().min(0).optional(),
  order: z.enum(['time', 'index']).default('time'),
  ...pageQuery,
});

const entryViewSchema = z
  .object({
    index: z.number().int(),
    logtime: z.string(),
    eventTime: z.string().nullable(),
    kind: z.enum(ledgerEntryKinds),
    action: z.string().nullable(),
    decision: z.enum(['served', 'denied']).nullable(),
    code: z.string().nullable(),
    actor: z.string().nullable(),
    consumer: z.string().nullable(),
    consumerName: z.string().nullable(),
    provider: z.string().nullable(),
    providerName: z.string().nullable(),
    resource: z.string().nullable(),
    resourceName: z.string().nullable(),
    agreementId: z.string().nullable(),
    mode: z.string().nullable(),
    items: z.array(z.string()),
    purpose: z.string().nullable(),
    requestId: z.string().nullable(),
    covertUntil: z.string().nullable(),
    subjects: z.number().int(),
  })
  .meta({ id: 'LedgerIndexEntry' });

const pageMeta = { total: z.number().int(), page: z.number().int(), pageSize: z.number().int() };

const usageRecordSchema = z
  .object({
    index: z.number().int(),
    logtime: z.string(),
    action: z.string(),
    receiverCode: z.string(),
    receiverName: z.string(),
    providerCode: z.string(),
    providerName: z.string(),
    resourceCode: z.string(),
    resourceName: z.string(),
    mode: z.string().nullable(),
    items: z.array(z.object({ name: z.string(), title: z.string() })),
    ownIdentityCheck: z.boolean(),
  })
  .meta({ id: 'DataUsageRecord' });

const subjectSchema = z.object({ kind: z.enum(['citizen', 'enterprise']), displayName: z.string() });
const subjectLoginResponse = z.object({ token: z.string(), expiresAt: z.string(), subject: subjectSchema });

/** Department and auditor routes: mounted behind the hub's bearer-token hook. */
export function ledgerSearchRoutes(service: DataUsageService): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['ledger'];
    app.get(
      '/ledger/entries',
      {
        schema: {
          tags,
          summary: '检索账本条目 / Search the log’s entries (departments: their own; auditor: all)',
          security: bearerSecurity,
          querystring: entryQuerySchema,
          response: { 200: z.object({ items: z.array(entryViewSchema), ...pageMeta }) },
        },
      },
      async (request) => {
        const { page, pageSize, ...query } = request.query;
        return service.searchEntries(principalOf(request), query, { page, pageSize });
      },
    );
    app.get(
      '/ledger/entries/:index/details',
      {
        schema: {
          tags,
          summary:
            '访问记录的经办人与案件号原文（审计方，查看本身记入账本）/ Clear officer and case of an access (auditor; logged)',
          security: bearerSecurity,
          params: z.strictObject({ index: z.coerce.number().int().min(0) }),
          response: {
            200: z.object({
              index: z.number().int(),
              node: z.string(),
              seq: z.number().int(),
              officer: z.string().nullable(),
              caseId: z.string().nullable(),
              purpose: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => service.accessDetails(principalOf(request), request.params.index),
    );
    app.get(
      '/ledger/withheld',
      {
        schema: {
          tags,
          summary: '暂缓向本人披露的访问（审计方）/ Accesses withheld from their subjects (auditor)',
          security: bearerSecurity,
          querystring: z.strictObject(pageQuery),
          response: {
            200: z.object({
              asOf: z.string(),
              allowListed: z.array(z.string()),
              byConsumer: z.array(
                z.object({
                  consumer: z.string(),
                  consumerName: z.string(),
                  count: z.number().int(),
                  until: z.string(),
                }),
              ),
              items: z.array(entryViewSchema),
              ...pageMeta,
            }),
          },
        },
      },
      async (request) => service.withheld(principalOf(request), request.query),
    );
  };
}

/** Residents' and enterprises' routes: their own login, and their own data usage only. */
export function subjectRoutes(service: DataUsageService, authenticate: Authenticate): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['data-usage'];
    app.post(
      '/auth/resident',
      {
        schema: {
          tags,
          summary: '居民登录（身份证号码 + 姓名，经户籍核验）/ Resident login, checked against the register',
          body: z.strictObject({ idNumber: z.string().min(1).max(40), name: z.string().max(64) }),
          response: { 200: subjectLoginResponse },
          problems: loginProblems,
        },
      },
      async (request) =>
        service.loginSubject(
          'citizen',
          { key: request.body.idNumber, name: request.body.name },
          { address: request.ip },
        ),
    );
    app.post(
      '/auth/enterprise',
      {
        schema: {
          tags,
          summary:
            '企业登录（统一社会信用代码 + 名称 + 法定代表人姓名及身份号码）/ Enterprise login, checked against the registry',
          body: z.strictObject({
            uscc: z.string().min(1).max(40),
            name: z.string().max(200),
            legalRepName: z.string().max(64).optional(),
            legalRepIdNumber: z.string().max(40).optional(),
          }),
          response: { 200: subjectLoginResponse },
          problems: loginProblems,
        },
      },
      async (request) =>
        service.loginSubject(
          'enterprise',
          {
            key: request.body.uscc,
            name: request.body.name,
            representative: { name: request.body.legalRepName ?? '', idNumber: request.body.legalRepIdNumber ?? '' },
          },
          { address: request.ip },
        ),
    );

    await app.register(async (plain) => {
      const mine = plain.withTypeProvider<ZodTypeProvider>();
      mine.addHook('onRequest', async (request) => {
        const token = bearerToken(request);
        if (!token) throw new HutongError('UNAUTHENTICATED', '缺少令牌 / missing bearer token');
        const subject = await service.authenticateSubject(token);
        if (subject) {
          request.subject = subject;
          request.bearerToken = token;
          return;
        }
        // A department's valid token is the wrong kind here, not an expired session.
        if (await authenticate(token)) throw new HutongError('SUBJECT_ONLY');
        throw new HutongError('UNAUTHENTICATED', '令牌无效或已过期 / invalid or expired token');
      });
      const subjectOf = (request: { subject?: SubjectPrincipal }): SubjectPrincipal => {
        if (!request.subject) throw new HutongError('UNAUTHENTICATED');
        return request.subject;
      };
      mine.get(
        '/me',
        {
          schema: {
            tags,
            summary: '当前居民或企业 / The logged-in resident or enterprise',
            security: bearerSecurity,
            response: { 200: subjectSchema.extend({ expiresAt: z.string() }) },
          },
        },
        async (request) => {
          const { kind, displayName, expiresAt } = subjectOf(request);
          return { kind, displayName, expiresAt };
        },
      );
      mine.post(
        '/me/logout',
        {
          schema: {
            tags,
            summary: '退出 / Log out',
            security: bearerSecurity,
            response: { 204: z.undefined().describe('已退出，令牌作废 / Logged out, the token is void') },
          },
        },
        async (request, reply) => {
          if (request.bearerToken) await service.logoutSubject(request.bearerToken);
          return reply.status(204).send();
        },
      );
      mine.get(
        '/me/data-usage',
        {
          schema: {
            tags,
            summary: '我的数据使用记录（新→旧）/ Who used my data, newest first',
            security: bearerSecurity,
            querystring: z.strictObject({ from: periodValue, to: periodValue, ...pageQuery }),
            response: { 200: z.object({ items: z.array(usageRecordSchema), ...pageMeta }) },
          },
        },
        async (request) => {
          const { page, pageSize, from, to } = request.query;
          return service.dataUsage(subjectOf(request), { from, to }, { page, pageSize });
        },
      );
    });
  };
}
