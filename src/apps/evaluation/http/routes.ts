/**
 * HTTP surface of the 亩均论英雄 application, mounted by the composition root under /apps/evaluation/v1 on
 * the hub's server. Bearer tokens are the console's (resolved by the hub through `authenticate`). Errors
 * leave as RFC 9457 problem+json with a stable `code`; bad input is a 4xx, never a 500.
 */
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Principal } from '../../../core/auth/principal';
import { PROBLEM_MEDIA_TYPE, problemOf } from '../../../core/problem';
import { type Methodology, MethodologyError, parseMethodology } from '../service/config';
import { EvaluationError } from '../service/errors';
import type { EvaluationSummary } from '../service/rows';
import type { EvaluationService } from '../service/service';
import { writeEvaluationXlsx } from '../service/xlsx';
import {
  enterprisePageSchema,
  enterpriseSchema,
  evaluationSchema,
  methodologyDocumentSchema,
  methodologyListSchema,
  movesSchema,
  objectionSchema,
  policiesSchema,
  resultSchema,
} from './schemas';

/** OpenAPI: the routes that answer 401 without the hub's bearer token (the hub's `bearerAuth` scheme). */
const bearerSecurity = [{ bearerAuth: [] }];

export interface EvaluationRoutesOptions {
  authenticate: (token: string) => Promise<Principal | undefined>;
}

export interface EvaluationRoutesDeps {
  service: EvaluationService;
  /** The methodologies shipped with the application, by id. */
  methodologies: ReadonlyMap<string, Methodology>;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A stored evaluation as answered: its methodology and summary are the JSON the run wrote (rows.ts, EvaluationView). */
const shown = (record: Awaited<ReturnType<EvaluationService['done']>>) =>
  record as unknown as z.input<typeof evaluationSchema>;

const idParam = z.strictObject({ id: z.string().min(1).max(64) });
const usccParam = z.strictObject({ id: z.string().min(1).max(64), uscc: z.string().min(1).max(40) });
const year = z.coerce.number().int().min(2000).max(2100);

const enterpriseQuery = z.strictObject({
  group: z.enum(['规上', '规下']).optional(),
  class: z.enum(['A', 'B', 'C', 'D']).optional(),
  graded: z.enum(['true', 'false']).optional(),
  district: z.string().max(12).optional(),
  industry: z.string().max(8).optional(),
  reason: z.string().max(48).optional(),
  q: z.string().max(100).optional(),
  sort: z.enum(['rank', 'total', 'uscc', 'name', 'class']).optional(),
  order: z.enum(['asc', 'desc']).optional(),
  page: z.coerce.number().int().min(1).max(1_000_000).default(1),
  pageSize: z.coerce.number().int().min(1).max(500).default(20),
});

export function evaluationRoutes(deps: EvaluationRoutesDeps): FastifyPluginAsync<EvaluationRoutesOptions> {
  return async (plain, opts) => {
    const app = plain.withTypeProvider<ZodTypeProvider>();
    const { service } = deps;

    app.setErrorHandler((error, request, reply) => {
      let body: ReturnType<typeof problemOf> | undefined;
      if (error instanceof EvaluationError) body = problemOf(error);
      else if (error instanceof MethodologyError)
        body = problemOf(new EvaluationError('CONFIG_INVALID', error.message, error.issues));
      if (!body) throw error; // the hub's handler maps everything else (validation, parsing, 500s)
      request.log.info({ code: body.code, status: body.status }, 'request refused');
      return reply
        .status(body.status)
        .type(PROBLEM_MEDIA_TYPE)
        .send({ ...body, instance: request.id });
    });

    app.addHook('onRequest', async (request: FastifyRequest) => {
      const match = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization ?? '');
      if (!match) throw new EvaluationError('UNAUTHENTICATED', '缺少令牌 / missing bearer token');
      const principal = await opts.authenticate(match[1] as string);
      if (!principal) throw new EvaluationError('UNAUTHENTICATED', '令牌无效或已过期 / invalid or expired token');
      (request as FastifyRequest & { evaluationPrincipal?: Principal }).evaluationPrincipal = principal;
    });
    const who = (request: FastifyRequest): Principal =>
      (request as FastifyRequest & { evaluationPrincipal: Principal }).evaluationPrincipal;
    const tags = ['亩均论英雄'];

    app.get(
      '/configs',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '评价办法（随系统发布）/ Shipped methodologies',
          response: { 200: methodologyListSchema },
        },
      },
      async (request) => {
        service.access(who(request));
        return {
          items: [...deps.methodologies.values()].map((m) => ({
            id: m.id,
            version: m.version,
            title: m.title,
            titleEn: m.titleEn ?? null,
            description: m.description,
            sources: m.sources,
          })),
        };
      },
    );

    app.get(
      '/configs/:id',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '评价办法全文 / A shipped methodology',
          params: idParam,
          response: { 200: methodologyDocumentSchema },
        },
      },
      async (request) => {
        service.access(who(request));
        const config = deps.methodologies.get(request.params.id);
        if (!config) throw new EvaluationError('CONFIG_NOT_FOUND', `没有评价办法 ${request.params.id}`);
        return config;
      },
    );

    app.post(
      '/evaluations',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '运行评价（后台执行，轮询状态）/ Run an evaluation (polled)',
          body: z.strictObject({
            year,
            configId: z.string().max(64).optional(),
            /** A whole methodology document instead of a shipped one. */
            config: z.record(z.string(), z.unknown()).optional(),
            /** Classes of earlier years: from the stored evaluation of Y−1 (auto) or evaluated again. */
            history: z.enum(['auto', 'recompute']).optional(),
          }),
          // Accepted: the run goes on in the background; poll GET /evaluations/{id} until it is done.
          response: { 202: evaluationSchema },
          // A shipped methodology that does not exist (configId).
          problems: [404],
        },
      },
      async (request, reply) => {
        const { body } = request;
        if (body.configId && body.config) {
          throw new EvaluationError(
            'VALIDATION_FAILED',
            'configId 与 config 只能二选一 / give one of configId, config',
          );
        }
        let config: Methodology;
        if (body.config) config = parseMethodology(body.config);
        else {
          const found = deps.methodologies.get(body.configId ?? 'default');
          if (!found) throw new EvaluationError('CONFIG_NOT_FOUND', `没有评价办法 ${body.configId}`);
          config = found;
        }
        const started = await service.start(who(request), { year: body.year, config, history: body.history });
        return reply.status(202).send(shown(started));
      },
    );

    app.get(
      '/evaluations',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '评价记录 / Evaluations, newest first',
          querystring: z.strictObject({ year: year.optional() }),
          response: { 200: z.object({ items: z.array(evaluationSchema) }) },
        },
      },
      async (request) => ({ items: (await service.list(who(request), { year: request.query.year })).map(shown) }),
    );

    app.get(
      '/evaluations/:id',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '一次评价：状态、分组基准、分布 / One evaluation',
          params: idParam,
          response: { 200: evaluationSchema },
        },
      },
      async (request) => shown(await service.get(who(request), request.params.id)),
    );

    app.get(
      '/evaluations/:id/enterprises',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '排名表（筛选、排序、分页）/ Ranking table',
          params: idParam,
          querystring: enterpriseQuery,
          response: { 200: enterprisePageSchema },
          // The evaluation is not done yet (also on every route below that reads its result).
          problems: [409],
        },
      },
      async (request) => {
        const { graded, ...rest } = request.query;
        return service.enterprises(who(request), request.params.id, {
          ...rest,
          graded: graded === undefined ? undefined : graded === 'true',
        });
      },
    );

    app.get(
      '/evaluations/:id/enterprises/:uscc',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '企业评价详情（数据来源与账本条目）/ One enterprise',
          params: usccParam,
          response: { 200: enterpriseSchema },
          problems: [409],
        },
      },
      async (request) => service.enterprise(who(request), request.params.id, request.params.uscc),
    );

    app.get(
      '/evaluations/:id/moves',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '分类变动（与上年或另一评价比较）/ Class moves',
          params: idParam,
          querystring: z.strictObject({ against: z.string().max(64).optional() }),
          response: { 200: movesSchema },
          problems: [409],
        },
      },
      async (request) => service.moves(who(request), request.params.id, request.query.against),
    );

    app.get(
      '/evaluations/:id/policies',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '差别化政策清单 / Policy list',
          params: idParam,
          response: { 200: policiesSchema },
          problems: [409],
        },
      },
      async (request) => service.policies(who(request), request.params.id),
    );

    app.get(
      '/evaluations/:id/result',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '完整结果（JSON）/ The whole result',
          params: idParam,
          response: { 200: resultSchema },
          problems: [409],
        },
      },
      // Sent as the JSON text (a large document, written once): the schema above describes it, never serializes.
      async (request, reply: FastifyReply) => {
        const result = await service.result(who(request), (request.params as { id: string }).id);
        return reply.type('application/json').send(JSON.stringify(result));
      },
    );

    app.get(
      '/evaluations/:id/xlsx',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '导出 Excel / XLSX export',
          params: idParam,
          response: {
            200: {
              description: '评价结果工作簿 / The evaluation as a workbook',
              content: { [XLSX]: { schema: z.string().meta({ format: 'binary' }) } },
            },
          },
          problems: [409],
        },
      },
      async (request, reply: FastifyReply) => {
        const principal = who(request);
        if (service.access(principal) === 'provider') {
          throw new EvaluationError('FORBIDDEN_ROLE', '导出仅限经信局和审计 / owner and auditors only');
        }
        const evaluation = await service.done(principal, (request.params as { id: string }).id);
        const open = await service.objections(principal, { year: evaluation.year, status: 'open' });
        const disputed = new Map<string, string[]>();
        for (const o of open) disputed.set(o.uscc, [...(disputed.get(o.uscc) ?? []), o.figure]);
        const stream = new PassThrough();
        const file = `亩均评价-${evaluation.year}-${evaluation.id}.xlsx`;
        void writeEvaluationXlsx(
          {
            id: evaluation.id,
            year: evaluation.year,
            config: evaluation.config as Methodology,
            summary: evaluation.summary as EvaluationSummary,
            createdAt: evaluation.createdAt,
            rows: service.rows(principal, evaluation.id),
            disputed,
          },
          stream,
        ).catch((error: unknown) => {
          request.log.error({ err: error }, 'xlsx export failed');
          stream.destroy(error as Error);
        });
        return reply
          .type(XLSX)
          .header(
            'content-disposition',
            `attachment; filename="evaluation-${evaluation.year}.xlsx"; filename*=UTF-8''${encodeURIComponent(file)}`,
          )
          .send(stream);
      },
    );

    app.post(
      '/evaluations/:id/objections',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '对数据提出异议（提供部门数据专员）/ Dispute a figure',
          params: idParam,
          body: z.strictObject({
            uscc: z.string().min(1).max(40),
            figure: z.string().min(1).max(32),
            reason: z.string().max(1000),
          }),
          response: { 201: objectionSchema },
          // The evaluation is not done, or did not use the figure.
          problems: [409],
        },
      },
      async (request, reply) =>
        reply.status(201).send(await service.fileObjection(who(request), request.params.id, request.body)),
    );

    app.get(
      '/objections',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '数据异议 / Objections',
          querystring: z.strictObject({
            evaluationId: z.string().max(64).optional(),
            year: year.optional(),
            status: z.enum(['open', 'corrected', 'rejected']).optional(),
          }),
          response: { 200: z.object({ items: z.array(objectionSchema) }) },
        },
      },
      async (request) => ({ items: await service.objections(who(request), request.query) }),
    );

    app.post(
      '/objections/:id/resolve',
      {
        schema: {
          tags,
          security: bearerSecurity,
          summary: '处理异议（已更正 / 不予采纳）/ Resolve an objection',
          params: idParam,
          body: z.strictObject({ status: z.enum(['corrected', 'rejected']), note: z.string().max(1000).optional() }),
          response: { 200: objectionSchema },
          // Already resolved.
          problems: [409],
        },
      },
      async (request) => service.resolveObjection(who(request), request.params.id, request.body),
    );
  };
}
