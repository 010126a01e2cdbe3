/**
 * HTTP surface of 一网通办, mounted by the hub under /apps/services/v1. Public: the item definitions, the
 * preview, looking an application up with its receipt, the issuer keys and online certificate checks.
 * Applying: the resident for themselves, logged in at the hub (ID number and name checked against the
 * register, throttled), or counter staff. Counter
 * staff (政务服务办 console users or its system token): the application list, retries, sweeps. Errors are
 * RFC 9457 problem+json with the app's own stable codes.
 */
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal, SubjectCaller } from '../../../core/auth/principal';
import type { ErrorIssue } from '../../../core/errors';
import { PROBLEM_MEDIA_TYPE, problemOf } from '../../../core/problem';
import { qrPng, qrSvg } from '../service/certificates';
import { ServiceError, type ServiceErrorCode } from '../service/errors';
import { summaryOf } from '../service/item-views';
import type { ServicesApp } from '../service/service';
import {
  applicationPageSchema,
  applicationSchema,
  issuerKeysSchema,
  itemSchema,
  itemSummarySchema,
  metricsSchema,
  previewSchema,
  staffApplicationSchema,
  sweepResultSchema,
  sweepRunsSchema,
  verifyOutcomeSchema,
} from './schemas';

/** OpenAPI: the routes that answer 401 without the hub's bearer token (the hub's `bearerAuth` scheme). */
const bearerSecurity = [{ bearerAuth: [] }];

export interface ServicesRouteOptions {
  authenticate: (token: string) => Promise<Principal | undefined>;
  /** A resident's or enterprise's session at the hub (their own login), for self-service. */
  authenticateSubject?: (token: string) => Promise<SubjectCaller | undefined>;
}

function problemBody(code: ServiceErrorCode, detail: string | undefined, instance: string, issues?: ErrorIssue[]) {
  return problemOf(new ServiceError(code, detail, issues), instance);
}

const applyBody = z.strictObject({
  item: z.string().min(1).max(48),
  idNumber: z.string().min(1).max(32),
  name: z.string().min(1).max(64),
  consent: z.boolean(),
  asOf: z.string().max(10).optional(),
});

const listFilter = {
  status: z.enum(['pending_verification', 'approved', 'rejected']).optional(),
  item: z.string().max(48).optional(),
  id: z.string().max(32).optional(),
};
const listQuery = z.strictObject({
  ...listFilter,
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(200).default(20),
});
// Searching by ID number is a POST: a query string would put the number into the request log.
const searchBody = z.strictObject({
  ...listFilter,
  idNumber: z.string().max(32).optional(),
  page: z.number().int().min(1).max(10_000).default(1),
  pageSize: z.number().int().min(1).max(200).default(20),
});

const idParams = z.strictObject({ id: z.string().min(1).max(48) });

/** A JSON answer with words of its own (one schema, several statuses that mean different things). */
const asJson = <T extends z.ZodType>(description: string, schema: T) => ({
  description,
  content: { 'application/json': { schema } },
});

export function servicesRoutes(service: ServicesApp): FastifyPluginAsync<ServicesRouteOptions> {
  return async (root, options) => {
    const app = (root as unknown as FastifyInstance).withTypeProvider<ZodTypeProvider>();

    app.setErrorHandler((error, request, reply) => {
      let body: ReturnType<typeof problemBody>;
      if (error instanceof ServiceError) {
        body = problemOf(error, request.id);
      } else if (hasZodFastifySchemaValidationErrors(error)) {
        const issues = error.validation.map((issue) => ({
          path: [error.validationContext, ...String(issue.instancePath).split('/').filter(Boolean)].join('.'),
          message: issue.message ?? 'invalid',
        }));
        body = problemBody('VALIDATION_FAILED', '请求参数不合法 / invalid request', request.id, issues);
      } else {
        const status = (error as { statusCode?: number }).statusCode;
        if (status && status >= 400 && status < 500) {
          const code =
            status === 404
              ? 'NOT_FOUND'
              : status === 413
                ? 'PAYLOAD_TOO_LARGE'
                : status === 415
                  ? 'UNSUPPORTED_MEDIA_TYPE'
                  : 'VALIDATION_FAILED';
          body = problemBody(code, (error as Error).message, request.id);
        } else {
          request.log.error({ err: error }, 'services: unhandled error');
          body = problemBody('INTERNAL', '服务器内部错误，已记录 / internal error, logged', request.id);
        }
      }
      if (body.status >= 500) request.log.error({ code: body.code }, 'services: request failed');
      return reply.status(body.status).type(PROBLEM_MEDIA_TYPE).send(body);
    });

    /**
     * The caller, if a bearer token is given: a member's person or system, or a resident logged in as
     * themselves; a given but invalid token is refused, not ignored.
     */
    const anyCaller = async (
      request: FastifyRequest,
    ): Promise<{ principal?: Principal; resident?: SubjectCaller } | undefined> => {
      const header = request.headers.authorization;
      if (!header) return undefined;
      const token = /^Bearer\s+(\S+)$/i.exec(header)?.[1];
      const principal = token ? await options.authenticate(token) : undefined;
      if (principal) return { principal };
      const resident = token && options.authenticateSubject ? await options.authenticateSubject(token) : undefined;
      if (resident) return { resident };
      throw new ServiceError('UNAUTHENTICATED', '令牌无效或已过期 / invalid or expired token');
    };
    const caller = async (request: FastifyRequest): Promise<Principal | undefined> =>
      (await anyCaller(request))?.principal;
    const signedIn = async (request: FastifyRequest): Promise<Principal> => {
      const principal = await caller(request);
      if (!principal) throw new ServiceError('UNAUTHENTICATED');
      return principal;
    };
    // The receipt travels in a header, never in the URL (URLs are logged).
    const receiptOf = (request: FastifyRequest): string | undefined => {
      const header = request.headers['x-receipt'];
      return typeof header === 'string' ? header : undefined;
    };
    const tags = ['一网通办 services'];

    app.get(
      '/items',
      {
        schema: {
          tags,
          summary: '办事事项列表 / Service items',
          response: { 200: z.object({ items: z.array(itemSummarySchema) }) },
        },
      },
      async () => ({ items: service.items.list().map(summaryOf) }),
    );

    app.get(
      '/items/:id',
      { schema: { tags, summary: '事项定义 / Item definition', params: idParams, response: { 200: itemSchema } } },
      async (request) => {
        const def = service.items.get(request.params.id);
        return { summary: summaryOf(def), definition: def };
      },
    );

    app.get(
      '/items/:id/preview',
      {
        schema: {
          tags,
          summary: '办理前告知：将核验的事项 / What will be checked',
          params: idParams,
          response: { 200: previewSchema },
        },
      },
      async (request) => service.preview(request.params.id),
    );

    app.post(
      '/applications',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '提交申请并即时办结 / Apply (decided at once)',
          body: applyBody,
          headers: z.object({ 'idempotency-key': z.string().min(1).max(96).optional() }).passthrough(),
          response: {
            200: asJson(
              '已受理过的同一申请（幂等键，或仍待核验）/ The same application, received before',
              applicationSchema,
            ),
            201: asJson('已即时办结 / Decided at once', applicationSchema),
            202: asJson('已受理，待部门核验后办结 / Received, decided once the departments answer', applicationSchema),
          },
          // An unknown item; an Idempotency-Key used for another request.
          problems: [404, 409],
        },
      },
      async (request, reply) => {
        const who = await anyCaller(request);
        const idempotencyKey = request.headers['idempotency-key'];
        const { created, view } = await service.apply(
          { ...request.body, idempotencyKey: typeof idempotencyKey === 'string' ? idempotencyKey : undefined },
          who?.principal,
          who?.resident,
        );
        const status = !created ? 200 : view.status === 'pending_verification' ? 202 : 201;
        return reply.status(status).send(view);
      },
    );

    app.get(
      '/applications',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '办件查询（窗口人员）/ Search applications (counter staff)',
          querystring: listQuery,
          response: { 200: applicationPageSchema },
        },
      },
      async (request) => {
        const { page, pageSize, item, ...filter } = request.query;
        return service.list(await signedIn(request), { ...filter, itemId: item }, { page, pageSize });
      },
    );

    app.post(
      '/applications/search',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '按公民身份号码等查询办件（窗口人员）/ Search applications by ID number (counter staff)',
          body: searchBody,
          response: { 200: applicationPageSchema },
        },
      },
      async (request) => {
        const { page, pageSize, item, ...filter } = request.body;
        return service.list(await signedIn(request), { ...filter, itemId: item }, { page, pageSize });
      },
    );

    app.get(
      '/applications/:id',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '办件详情（凭回执 X-Receipt 或窗口人员）/ Application (with its receipt, or counter staff)',
          params: idParams,
          // Counter staff and overseers see how it was handled; the applicant what they were told.
          response: { 200: z.union([staffApplicationSchema, applicationSchema]) },
        },
      },
      async (request) =>
        service.get(request.params.id, { receipt: receiptOf(request), principal: await caller(request) }),
    );

    for (const format of ['svg', 'png'] as const) {
      app.get(
        `/applications/:id/certificate.${format}`,
        {
          schema: {
            tags,
            security: bearerSecurity,
            summary: `电子证照二维码 (${format.toUpperCase()}) / Certificate QR code`,
            params: idParams,
            response: {
              200: {
                description: '电子证照二维码 / The certificate’s QR code',
                content: {
                  [format === 'svg' ? 'image/svg+xml' : 'image/png']: {
                    schema: format === 'svg' ? z.string() : z.string().meta({ format: 'binary' }),
                  },
                },
              },
            },
          },
        },
        async (request, reply: FastifyReply) => {
          const { id } = request.params as { id: string };
          const view = await service.get(id, {
            receipt: receiptOf(request),
            principal: await caller(request),
          });
          if (!view.certificate) throw new ServiceError('NOT_FOUND', '该办件没有电子证照 / no certificate');
          return format === 'svg'
            ? reply.type('image/svg+xml').send(await qrSvg(view.certificate.payload))
            : reply.type('image/png').send(await qrPng(view.certificate.payload));
        },
      );
    }

    app.post(
      '/applications/:id/retry',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '重新核验（窗口人员）/ Retry a pending application',
          params: idParams,
          response: { 200: staffApplicationSchema },
          // Already decided.
          problems: [409],
        },
      },
      async (request) => service.retryNow(request.params.id, await caller(request)),
    );

    app.post(
      '/sweeps',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '免申即享筛查（窗口人员）/ No-application sweep (counter staff)',
          body: z.strictObject({ item: z.string().min(1).max(48), month: z.string().max(7) }),
          response: { 200: sweepResultSchema },
          // An unknown item; an item without a sweep; a department's data not available now.
          problems: [404, 409, 503],
        },
      },
      async (request) => service.sweep(request.body.item, request.body.month, await caller(request)),
    );

    app.get(
      '/sweeps',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '筛查记录 / Sweeps run',
          querystring: z.strictObject({ item: z.string().max(48).optional() }),
          response: { 200: sweepRunsSchema },
        },
      },
      async (request) => service.sweeps(await signedIn(request), request.query.item),
    );

    app.get(
      '/metrics',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '窗口指标 / Counter metrics',
          response: { 200: metricsSchema },
        },
      },
      async (request) => {
        await signedIn(request);
        return service.metrics();
      },
    );

    app.get(
      '/issuer-keys',
      { schema: { tags, summary: '发证机关公钥 / Issuer public keys', response: { 200: issuerKeysSchema } } },
      async () => ({ keys: service.issuerKeys() }),
    );

    app.post(
      '/certificates/verify',
      {
        schema: {
          tags,
          summary: '核验电子证照 / Verify a certificate',
          body: z.strictObject({ payload: z.string().min(1).max(4096) }),
          // A payload that does not verify is an answer too (valid: false, with why), not an error.
          response: { 200: verifyOutcomeSchema },
        },
      },
      async (request) => service.verifyCertificate(request.body.payload),
    );
  };
}
