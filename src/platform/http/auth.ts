/** Bearer-token authentication: every route but the public ones resolves its caller to a Principal. */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Principal } from '../../core/auth/principal';
import { HutongError } from '../../core/errors';

declare module 'fastify' {
  interface FastifyRequest {
    principal?: Principal;
    bearerToken?: string;
  }
}

export type Authenticate = (token: string) => Promise<Principal | undefined>;

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header) return undefined;
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match?.[1];
}

export function authHook(authenticate: Authenticate) {
  return async (request: FastifyRequest, _reply: FastifyReply) => {
    const token = bearerToken(request);
    if (!token) throw new HutongError('UNAUTHENTICATED', '缺少令牌 / missing bearer token');
    const principal = await authenticate(token);
    if (!principal) throw new HutongError('UNAUTHENTICATED', '令牌无效或已过期 / invalid or expired token');
    request.principal = principal;
    request.bearerToken = token;
  };
}

export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new HutongError('UNAUTHENTICATED');
  return request.principal;
}

/** The OpenAPI security requirement of a route that answers 401 without a bearer token. */
export const bearerSecurity = [{ bearerAuth: [] }];
