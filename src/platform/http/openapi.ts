/**
 * The OpenAPI 3.1 documents of the hub (with the applications it hosts) and of every node, written from the
 * routes' own zod schemas. A route declares what it answers on success and the error statuses only it has;
 * the statuses every route of its kind answers — input that does not validate, a refused token, an unknown
 * object, a body too large — are added here, so no route can forget them, and every error is documented as
 * the one problem shape (RFC 9457) under its own media type. The authorization matrix
 * (src/composition/authorization-matrix.integration.test.ts) fails on any status a route answered that its
 * operation does not list.
 */
import type { FastifySerializerCompiler } from 'fastify';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PROBLEM_MEDIA_TYPE } from '../../core/problem';

export const problemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    instance: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details with a stable `code`' });

declare module 'fastify' {
  interface FastifySchema {
    /** Error statuses this route answers beyond those its kind implies (see `problemStatuses`), as problems. */
    problems?: readonly number[];
    /**
     * Request parts the route reads itself — bytes that must stay as signed until verified, a lenient query —
     * described in the document and never validated by Fastify.
     */
    described?: { body?: unknown; querystring?: unknown };
  }
}

export interface OpenApiConventions {
  /** The statuses a refusal by each security scheme takes (e.g. 401 without a token, 403 for a wrong role). */
  security: Readonly<Record<string, readonly number[]>>;
}

const statusTexts: Record<number, string> = {
  200: '成功 / OK',
  201: '已创建 / Created',
  202: '已受理 / Accepted',
  204: '成功，无内容 / No content',
  400: '请求不合法 / Invalid request',
  401: '未认证或凭据无效 / Not authenticated',
  403: '无权进行此操作 / Not allowed',
  404: '不存在或不可见 / Not found',
  409: '与当前状态冲突 / Conflicts with the current state',
  413: '请求体过大 / Payload too large',
  415: '不支持的内容类型 / Unsupported media type',
  422: '无法处理 / Unprocessable',
  429: '请求过多，请稍后再试 / Too many requests',
  502: '上游应答无效或无法连接 / Bad gateway',
  503: '暂不可用 / Unavailable',
};

type Schema = Parameters<typeof jsonSchemaTransform>[0]['schema'];

/**
 * The error statuses a route answers by what it is: a validated request part is a 400; a JSON body may
 * also be too large (413) or of another media type (415), a raw one (read as bytes) only too large; a URL
 * naming an object may name none (404); and each security scheme refuses in its own statuses.
 */
export function problemStatuses(schema: Schema, url: string, conventions: OpenApiConventions): number[] {
  const statuses = new Set<number>(schema.problems ?? []);
  if (schema.querystring || schema.params || schema.headers) statuses.add(400);
  if (schema.body) for (const status of [400, 413, 415]) statuses.add(status);
  if (schema.described?.body) for (const status of [400, 413]) statuses.add(status);
  if (/[:*]/.test(url)) statuses.add(404);
  for (const requirement of schema.security ?? []) {
    for (const scheme of Object.keys(requirement)) {
      for (const status of conventions.security[scheme] ?? []) statuses.add(status);
    }
  }
  return [...statuses].sort((a, b) => a - b);
}

/** @fastify/swagger's per-route transform: zod to JSON Schema, plus the problems each route answers. */
export function openApiTransform(conventions: OpenApiConventions): typeof jsonSchemaTransform {
  return (input) => {
    const { schema, url } = input;
    if (!schema || schema.hide) return jsonSchemaTransform(input);
    const { problems: _problems, described, ...rest } = schema;
    const response: Record<string, unknown> = { ...(rest.response as Record<string, unknown> | undefined) };
    for (const status of problemStatuses(schema, url, conventions)) {
      response[status] ??= {
        description: statusTexts[status] ?? String(status),
        content: { [PROBLEM_MEDIA_TYPE]: { schema: problemSchema } },
      };
    }
    const transformed = jsonSchemaTransform({ ...input, schema: { ...rest, ...described, response } as Schema });
    const responses = transformed.schema.response as Record<string, Record<string, unknown>>;
    for (const [status, json] of Object.entries(responses)) {
      if (json.content || json.description) continue;
      // Said in words, or the explorer reads "Default Response" for every answer.
      const description = statusTexts[Number(status)] ?? status;
      responses[status] =
        json.type === 'null'
          ? { ...json, description }
          : { description, content: { 'application/json': { schema: json } } };
    }
    return transformed;
  };
}

/** The whole document: the registered zod schemas as components, without those no operation refers to. */
export const openApiTransformObject: typeof jsonSchemaTransformObject = (input) => {
  const document = jsonSchemaTransformObject(input) as {
    paths?: unknown;
    components?: { schemas?: Record<string, unknown> };
  };
  const schemas = document.components?.schemas;
  if (!schemas) return document as ReturnType<typeof jsonSchemaTransformObject>;
  // Every schema with an id in the process is registered (the hub's and a node's share a process in the
  // demo), so a document keeps only what its own operations reach.
  const reached = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const entry of value) visit(entry);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const id = key === '$ref' && typeof child === 'string' ? /^#\/components\/schemas\/(.+)$/.exec(child)?.[1] : '';
        if (id && !reached.has(id)) {
          reached.add(id);
          visit(schemas[id]);
        } else visit(child);
      }
    }
  };
  visit(document.paths);
  const kept = Object.fromEntries(Object.entries(schemas).filter(([id]) => reached.has(id)));
  return { ...document, components: { ...document.components, schemas: kept } } as ReturnType<
    typeof jsonSchemaTransformObject
  >;
};

/**
 * For an app whose answers leave exactly as its handlers build them (a node's: its signed answers are bytes
 * already, and nothing of a JSON answer may be dropped on the way): response schemas describe, never rewrite.
 */
export const describingSerializerCompiler: FastifySerializerCompiler<unknown> = () => (data) => JSON.stringify(data);

/** A JSON value with its object members in one order, so two values compare as text. */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner !== null && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/**
 * Wraps a serializer compiler so that an answer its response schema does not describe exactly fails (a 500)
 * instead of leaving changed: a member the schema does not list (an object schema drops it), a value of
 * another type. Test cities run with it, so a route whose view gained a field its schema lacks fails the
 * suites instead of quietly losing the field in production.
 */
export function checkingSerializerCompiler<T>(inner: FastifySerializerCompiler<T>): FastifySerializerCompiler<T> {
  return (route) => {
    const serialize = inner(route);
    // Fastify hands an object schema over as it is, or wrapped as the properties of one.
    const given = route.schema as unknown;
    const wrapped = (given as { properties?: unknown } | undefined)?.properties;
    const schema = given instanceof z.ZodType ? given : wrapped instanceof z.ZodType ? wrapped : undefined;
    return (data) => {
      const encoded = schema ? z.safeEncode(schema, data) : undefined;
      if (encoded && !encoded.success) {
        throw new Error(`${route.method} ${route.url} ${route.httpStatus}: the answer does not fit its schema`, {
          cause: encoded.error,
        });
      }
      const plain = JSON.stringify(data);
      if (encoded && plain !== undefined && canonical(JSON.parse(plain)) !== canonical(encoded.data)) {
        throw new Error(
          `${route.method} ${route.url} ${route.httpStatus}: its schema drops or changes part of the answer`,
        );
      }
      return serialize(data);
    };
  };
}

/** The answer of GET /openapi.json: the document itself, open beyond its required members. */
export const openApiDocumentSchema = z.looseObject({
  openapi: z.string(),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.unknown()),
});
export type OpenApiDocument = z.infer<typeof openApiDocumentSchema>;
