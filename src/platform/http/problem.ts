/** Maps any thrown error to an RFC 9457 problem document with a stable code: the only place codes meet HTTP. */
import type { FastifyError, FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { type ErrorCode, type ErrorIssue, HutongError } from '../../core/errors';
import { PROBLEM_MEDIA_TYPE, type ProblemDocument, problemFor, problemOf } from '../../core/problem';

export type Problem = ProblemDocument<ErrorCode>;

export function problem(code: ErrorCode, detail?: string, errors?: ErrorIssue[]): Problem {
  return problemFor(code, { detail, errors });
}

/** Sends a problem document with its media type (RFC 9457 §3). */
export function sendProblem(reply: FastifyReply, body: ProblemDocument): FastifyReply {
  return reply.status(body.status).type(PROBLEM_MEDIA_TYPE).send(body);
}

// Fastify's own 4xx errors (body parsing, content type, size) get codes of ours.
const fastifyCodes: Record<string, ErrorCode> = {
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_JSON',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'VALIDATION_FAILED',
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_VALIDATION: 'VALIDATION_FAILED',
};

export function toProblem(error: unknown): Problem {
  if (error instanceof HutongError) return problemOf(error);
  if (hasZodFastifySchemaValidationErrors(error)) {
    const issues = error.validation.map((issue) => ({
      path: [error.validationContext, ...String(issue.instancePath).split('/').filter(Boolean)].join('.'),
      message: issue.message ?? 'invalid',
    }));
    return problem('VALIDATION_FAILED', '请求参数不合法 / invalid request', issues);
  }
  const fastifyError = error as Partial<FastifyError> & { status?: number };
  if (fastifyError.code && fastifyCodes[fastifyError.code]) {
    return problem(fastifyCodes[fastifyError.code]!, fastifyError.message);
  }
  if (fastifyError instanceof SyntaxError || fastifyError.code?.startsWith('FST_ERR_CTP')) {
    return problem('MALFORMED_JSON', String(fastifyError.message ?? ''));
  }
  const status = fastifyError.statusCode ?? fastifyError.status;
  if (status && status >= 400 && status < 500) {
    if (status === 404) return problem('NOT_FOUND', fastifyError.message);
    if (status === 413) return problem('PAYLOAD_TOO_LARGE', fastifyError.message);
    if (status === 415) return problem('UNSUPPORTED_MEDIA_TYPE', fastifyError.message);
    return problem('VALIDATION_FAILED', fastifyError.message);
  }
  return problem('INTERNAL', '服务器内部错误，已记录 / internal error, logged');
}
