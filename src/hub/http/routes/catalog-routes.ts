/** The catalog (政务信息资源目录): search, detail, publish and update. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { Resource } from '../../../core/catalog/resource';
import type { HubService } from '../../service/hub-service';
import { principalOf } from '../../../platform/http/auth';
import { catalogQuerySchema, codeParams, pageOf, resourceDraftSchema, resourceSchema } from '../schemas';
import { bearerSecurity } from './common';

export function catalogRoutes(hub: HubService): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['catalog'];
    const withProviderName = async (resources: Resource[]) => {
      const names = new Map((await hub.members.listMembers()).map((member) => [member.code, member.name]));
      return resources.map((resource) => ({ ...resource, providerName: names.get(resource.providerCode) ?? '' }));
    };
    app.get(
      '/catalog/resources',
      {
        schema: {
          tags,
          summary: '检索资源目录 / Search the catalog',
          security: bearerSecurity,
          querystring: catalogQuerySchema,
          response: { 200: pageOf(resourceSchema) },
        },
      },
      async (request) => {
        const { page, pageSize, ...filter } = request.query;
        const result = await hub.catalog.search(filter, { page, pageSize });
        return { ...result, items: await withProviderName(result.items) };
      },
    );
    app.get(
      '/catalog/resources/:code',
      {
        schema: {
          tags,
          summary: '资源详情 / Get a resource',
          security: bearerSecurity,
          params: codeParams,
          response: { 200: resourceSchema },
        },
      },
      async (request) => (await withProviderName([await hub.catalog.resource(request.params.code)]))[0]!,
    );
    app.post(
      '/catalog/resources',
      {
        schema: {
          tags,
          summary: '编目发布资源（提供方数据专员）/ Publish a resource',
          security: bearerSecurity,
          body: resourceDraftSchema,
          response: { 201: resourceSchema },
          problems: [409],
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const resource = await hub.catalog.publish(principal, principal.memberCode, request.body);
        return reply.status(201).send((await withProviderName([resource]))[0]!);
      },
    );
    app.put(
      '/catalog/resources/:code',
      {
        schema: {
          tags,
          summary: '更新资源目录 / Update a resource',
          security: bearerSecurity,
          params: codeParams,
          body: resourceDraftSchema,
          response: { 200: resourceSchema },
        },
      },
      async (request) => {
        const resource = await hub.catalog.update(principalOf(request), request.params.code, request.body);
        return (await withProviderName([resource]))[0]!;
      },
    );
  };
}
