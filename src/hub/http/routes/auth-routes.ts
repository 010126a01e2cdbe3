/** Console login and session. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { HutongError } from '../../../core/errors';
import type { HubService } from '../../service/hub-service';
import { type Authenticate, authHook, principalOf } from '../../../platform/http/auth';
import { loginSchema, passwordChangeSchema, sessionUserSchema } from '../schemas';
import { bearerSecurity } from './common';

const sessionSchema = z.object({ token: z.string(), expiresAt: z.string(), user: sessionUserSchema });

/**
 * `authenticate` here also accepts a session that may only change a one-time password: such a session can
 * read who it is, log out and change the password, and nothing else (the hub's other routes refuse it).
 */
export function authRoutes(hub: HubService, authenticate: Authenticate): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/auth/login',
      {
        schema: {
          tags: ['auth'],
          summary: '登录 / Log in with username and password',
          body: loginSchema,
          response: { 200: sessionSchema },
          // Wrong credentials; too many failed attempts for the username or the address.
          problems: [401, 429],
        },
      },
      async (request) => hub.accounts.login(request.body.username, request.body.password, { address: request.ip }),
    );

    app.post(
      '/auth/password',
      {
        onRequest: authHook(authenticate),
        schema: {
          tags: ['auth'],
          summary: '修改密码（一次性初始密码须先修改）/ Change the password (a one-time one must be changed first)',
          security: bearerSecurity,
          body: passwordChangeSchema,
          response: {
            200: sessionSchema.describe('新的会话，原有会话全部作废 / a new session; every other one ends'),
          },
          // The current password is wrong; too many wrong attempts.
          problems: [429],
        },
      },
      async (request) =>
        hub.accounts.changePassword(principalOf(request), request.body.currentPassword, request.body.newPassword, {
          address: request.ip,
        }),
    );

    app.register(async (secured) => {
      secured.addHook('onRequest', authHook(authenticate));
      secured.post(
        '/auth/logout',
        {
          schema: {
            tags: ['auth'],
            summary: '退出登录 / Log out',
            security: bearerSecurity,
            response: { 204: z.undefined().describe('已退出，令牌作废 / Logged out, the token is void') },
          },
        },
        async (request, reply) => {
          if (request.bearerToken) await hub.accounts.logout(request.bearerToken);
          return reply.status(204).send();
        },
      );
      secured.get(
        '/auth/me',
        {
          schema: {
            tags: ['auth'],
            summary: '当前用户 / Current user',
            security: bearerSecurity,
            response: { 200: sessionUserSchema },
          },
        },
        async (request) => {
          const principal = principalOf(request);
          if (!principal.username) {
            throw new HutongError('FORBIDDEN_ROLE', '系统令牌没有用户信息 / system tokens have no user');
          }
          return hub.accounts.sessionUser(principal.username);
        },
      );
    });
  };
}
