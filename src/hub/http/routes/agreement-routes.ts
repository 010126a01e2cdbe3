/** The agreement workflow (共享申请与审批) and the city overview. */
import type { Predicate } from '../../../core/access/predicate';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { HubService } from '../../service/hub-service';
import { principalOf } from '../../../platform/http/auth';
import {
  agreementQuerySchema,
  agreementSchema,
  applicationSchema,
  approvalSchema,
  commentSchema,
  emptySchema,
  idParams,
  overviewSchema,
  pageOf,
  reasonSchema,
} from '../schemas';
import { bearerSecurity } from './common';

export function agreementRoutes(hub: HubService): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['agreements'];
    // A transition the agreement's state does not allow, a second approval by the first approver, a write
    // that lost a race: 409.
    const transition = { response: { 200: agreementSchema }, problems: [409] };
    app.post(
      '/agreements',
      {
        schema: {
          tags,
          summary: '提交共享申请 / Apply for a resource',
          security: bearerSecurity,
          body: applicationSchema,
          response: { 201: agreementSchema },
          // Own resource, a resource not shared.
          problems: [409],
        },
      },
      async (request, reply) => {
        const { resourceCode, predicates, ...application } = request.body;
        // The templates' shape is checked by the domain (checkTemplates), which names what is wrong.
        const asked = { ...application, ...(predicates ? { predicates: predicates as Predicate[] } : {}) };
        return reply.status(201).send(await hub.agreements.apply(principalOf(request), resourceCode, asked));
      },
    );
    app.get(
      '/agreements',
      {
        schema: {
          tags,
          summary: '共享申请与协议列表 / List agreements',
          security: bearerSecurity,
          querystring: agreementQuerySchema,
          response: { 200: pageOf(agreementSchema) },
        },
      },
      async (request) => {
        const { page, pageSize, side, status, resource } = request.query;
        return hub.agreements.list(principalOf(request), { side, status, resourceCode: resource }, { page, pageSize });
      },
    );
    app.get(
      '/agreements/:id',
      {
        schema: {
          tags,
          summary: '协议详情 / Get an agreement',
          security: bearerSecurity,
          params: idParams,
          response: { 200: agreementSchema },
        },
      },
      async (request) => hub.agreements.get(principalOf(request), request.params.id),
    );
    app.post(
      '/agreements/:id/approve',
      {
        schema: {
          tags,
          summary: '审批通过（可缩小范围）/ Approve, possibly narrowing',
          security: bearerSecurity,
          params: idParams,
          body: approvalSchema,
          ...transition,
        },
      },
      async (request) => hub.agreements.approve(principalOf(request), request.params.id, request.body),
    );
    app.post(
      '/agreements/:id/reject',
      {
        schema: {
          tags,
          summary: '驳回（须说明理由）/ Reject with a reason',
          security: bearerSecurity,
          params: idParams,
          body: reasonSchema,
          ...transition,
        },
      },
      async (request) => hub.agreements.reject(principalOf(request), request.params.id, request.body.reason),
    );
    app.post(
      '/agreements/:id/superior-approve',
      {
        schema: {
          tags,
          summary: '上级审批通过 / Second approval',
          security: bearerSecurity,
          params: idParams,
          body: commentSchema,
          ...transition,
        },
      },
      async (request) => hub.agreements.superiorApprove(principalOf(request), request.params.id, request.body.comment),
    );
    app.post(
      '/agreements/:id/superior-reject',
      {
        schema: {
          tags,
          summary: '上级审批驳回 / Second approval: reject',
          security: bearerSecurity,
          params: idParams,
          body: reasonSchema,
          ...transition,
        },
      },
      async (request) => hub.agreements.superiorReject(principalOf(request), request.params.id, request.body.reason),
    );
    app.post(
      '/agreements/:id/suspend',
      {
        schema: {
          tags,
          summary: '暂停 / Suspend',
          security: bearerSecurity,
          params: idParams,
          body: reasonSchema,
          ...transition,
        },
      },
      async (request) => hub.agreements.suspend(principalOf(request), request.params.id, request.body.reason),
    );
    app.post(
      '/agreements/:id/resume',
      {
        schema: {
          tags,
          summary: '恢复 / Resume',
          security: bearerSecurity,
          params: idParams,
          body: emptySchema,
          ...transition,
        },
      },
      async (request) => hub.agreements.resume(principalOf(request), request.params.id),
    );
    app.post(
      '/agreements/:id/revoke',
      {
        schema: {
          tags,
          summary: '撤销 / Revoke',
          security: bearerSecurity,
          params: idParams,
          body: reasonSchema,
          ...transition,
        },
      },
      async (request) => hub.agreements.revoke(principalOf(request), request.params.id, request.body.reason),
    );
    app.post(
      '/agreements/:id/withdraw',
      {
        schema: {
          tags,
          summary: '撤回申请 / Withdraw an application',
          security: bearerSecurity,
          params: idParams,
          body: emptySchema,
          ...transition,
        },
      },
      async (request) => hub.agreements.withdraw(principalOf(request), request.params.id),
    );
    app.get(
      '/overview',
      {
        schema: {
          tags: ['overview'],
          summary: '全市共享时效看板 / City SLA board',
          security: bearerSecurity,
          response: { 200: overviewSchema },
        },
      },
      async () => hub.overview(),
    );
  };
}
