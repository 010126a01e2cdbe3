/** The member registry (departments, their roles, contacts and public keys). */
import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { HutongError } from '../../../core/errors';
import { SignatureError, verifyHubCall, claimedSignatureKeyId } from '../../../node/exchange/http-signatures';
import { z } from 'zod';
import type { HubService } from '../../service/hub-service';
import { principalOf } from '../../../platform/http/auth';
import {
  codeParams,
  memberPatchSchema,
  memberSchema,
  newKeySchema,
  newMemberSchema,
  newTokenSchema,
  newUserSchema,
  nodeUrlSchema,
  publicKeySchema,
  userSchema,
} from '../schemas';
import { bearerSecurity, type NodeSignatureOptions, nodeSignatureSecurity, parseRawJson } from './common';

export function memberRoutes(hub: HubService, city: { crypto: 'intl' | 'gm' }): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['members'];
    app.get(
      '/members',
      {
        schema: {
          tags,
          summary: '成员单位列表 / List members',
          security: bearerSecurity,
          response: { 200: z.object({ items: z.array(memberSchema) }) },
        },
      },
      async () => ({ items: await hub.members.listMembers() }),
    );
    app.get(
      '/members/:code',
      {
        schema: {
          tags,
          summary: '成员单位详情 / Get a member',
          security: bearerSecurity,
          params: codeParams,
          response: { 200: memberSchema },
        },
      },
      async (request) => hub.members.requireMember(request.params.code),
    );
    app.post(
      '/members',
      {
        schema: {
          tags,
          summary: '登记成员单位（平台运营方）/ Register a member (operator)',
          security: bearerSecurity,
          body: newMemberSchema,
          response: { 201: memberSchema },
          problems: [409],
        },
      },
      async (request, reply) =>
        reply.status(201).send(await hub.members.registerMember(principalOf(request), request.body)),
    );
    app.patch(
      '/members/:code',
      {
        schema: {
          tags,
          summary: '修改成员单位信息 / Update a member',
          security: bearerSecurity,
          params: codeParams,
          body: memberPatchSchema,
          response: { 200: memberSchema },
        },
      },
      async (request) => hub.members.updateMember(principalOf(request), request.params.code, request.body),
    );
    app.put(
      '/members/:code/node',
      {
        schema: {
          tags,
          summary: "登记前置机地址 / Register the member's node URL",
          security: bearerSecurity,
          params: codeParams,
          body: nodeUrlSchema,
          response: { 200: memberSchema },
          problems: [409],
        },
      },
      async (request) => {
        // Keyed hashes and signatures must be computed alike across the city: a node of another suite would
        // write records the hub cannot match.
        if (request.body.crypto && request.body.crypto !== city.crypto) {
          throw new HutongError(
            'CRYPTO_SUITE_MISMATCH',
            `本市使用 ${city.crypto} 套件，前置机配置为 ${request.body.crypto} / the city uses ${city.crypto}, this node ${request.body.crypto}`,
          );
        }
        return hub.members.setNodeUrl(principalOf(request), request.params.code, request.body.url);
      },
    );
    app.get(
      '/members/:code/users',
      {
        schema: {
          tags,
          summary: '本单位用户 / Users of a member (its admin, or the operator)',
          security: bearerSecurity,
          params: codeParams,
          response: { 200: z.object({ items: z.array(userSchema) }) },
        },
      },
      async (request) => ({ items: await hub.accounts.listUsers(principalOf(request), request.params.code) }),
    );
    app.post(
      '/members/:code/users',
      {
        schema: {
          tags,
          summary: '新增用户 / Add a console user to a member',
          security: bearerSecurity,
          params: codeParams,
          body: newUserSchema,
          response: { 201: userSchema },
          problems: [409],
        },
      },
      async (request, reply) => {
        const user = await hub.accounts.createUser(principalOf(request), {
          ...request.body,
          memberCode: request.params.code,
        });
        return reply.status(201).send(user);
      },
    );
    app.post(
      '/members/:code/tokens',
      {
        schema: {
          tags,
          summary: "签发系统令牌（仅显示一次）/ Issue an API token for the member's systems (shown once)",
          security: bearerSecurity,
          params: codeParams,
          body: newTokenSchema,
          response: { 201: z.object({ token: z.string(), label: z.string() }) },
        },
      },
      async (request, reply) => {
        const token = await hub.accounts.issueApiToken(principalOf(request), {
          ...request.body,
          memberCode: request.params.code,
        });
        return reply.status(201).send({ token, label: request.body.label });
      },
    );
  };
}

/**
 * Registering a key: the member's administrator (bearer), and — for every key but the member's first node
 * key — a signature by the member's current node key (RFC 9421, tag `hutong-key-change`) over the exact
 * request: trust roots move only by their owner, never by the operator or a console session alone.
 */
export function memberKeyRoutes(hub: HubService, options: NodeSignatureOptions): FastifyPluginAsync {
  return async (app) => {
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    app.post(
      '/members/:code/keys',
      {
        schema: {
          tags: ['members'],
          summary: '登记公钥（更换须由本单位前置机签名）/ Register a public key (changes signed by the node)',
          security: nodeSignatureSecurity,
          described: { body: newKeySchema },
          response: { 201: publicKeySchema },
        },
      },
      async (request, reply) => {
        const code = String((request.params as { code?: unknown }).code ?? '');
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        const newKey = parseRawJson(body, newKeySchema, '请求参数不合法 / invalid request', 'body.');
        let signedBy: { memberCode: string; keyId: string } | undefined;
        const claimed = claimedSignatureKeyId(request.headers);
        if (claimed !== undefined) {
          const [member = '', id = ''] = claimed.split(':');
          const key = await hub.members.currentNodeKey(member, id);
          if (!key) throw new HutongError('NODE_SIGNATURE_INVALID', '不是现用的前置机密钥 / not a current node key');
          try {
            verifyHubCall(
              { method: request.method, target: request.url, headers: request.headers, body },
              'hutong-key-change',
              {
                now: options.now(),
                windowSeconds: options.windowSeconds,
                lookupKey: () => options.verifierFor(key),
              },
            );
          } catch (error) {
            if (error instanceof SignatureError) throw new HutongError('NODE_SIGNATURE_INVALID', error.message);
            throw error;
          }
          signedBy = { memberCode: member, keyId: id };
        }
        return reply.status(201).send(await hub.members.addMemberKey(principalOf(request), code, newKey, signedBy));
      },
    );
  };
}
