/** Nodes ship their committed access decisions to the hub's log here, resuming from the hub's cursor. */
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { HubService } from '../../../hub/hub-service';
import { principalOf } from '../auth';
import { bearerSecurity, problemResponses } from './common';

const text = (max: number) => z.string().max(max);

const accessEventSchema = z.strictObject({
  seq: z.number().int().min(1),
  eventId: text(64),
  at: z.iso.datetime(),
  decision: z.enum(['served', 'denied']),
  code: text(48).nullable(),
  consumerCode: text(32),
  providerCode: text(32),
  resourceCode: text(64).nullable(),
  agreementId: text(64).nullable(),
  mode: text(16).nullable(),
  items: z.array(text(64)).max(500),
  purpose: text(500).nullable(),
  officer: text(64).nullable(),
  caseId: text(64).nullable(),
  requestId: text(64).nullable(),
  requestDigest: text(128).nullable(),
  responseDigest: text(128).nullable(),
  // Keyed hashes only (base64url of HMAC-SHA256): a raw identifier does not fit this shape.
  subjectHashes: z.array(z.string().regex(/^[A-Za-z0-9_-]{43}$/)).max(10_000),
  covertUntil: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .nullable()
    .optional(),
  signerKey: text(96).nullable().optional(),
  nonce: text(128).nullable().optional(),
});

export function ledgerIntakeRoutes(hub: HubService): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['ledger'];
    app.get(
      '/ledger/access-events/cursor',
      {
        schema: {
          tags,
          summary: '本单位已入账的最后事件序号 / Last event of this member already in the log',
          security: bearerSecurity,
          response: { 200: z.object({ lastSeq: z.number().int() }), ...problemResponses },
        },
      },
      async (request) => ({ lastSeq: await hub.ledgerCursor(principalOf(request)) }),
    );
    app.post(
      '/ledger/access-events',
      {
        schema: {
          tags,
          summary: '前置机报送访问决定 / A node ships its access decisions',
          security: bearerSecurity,
          body: z.strictObject({ events: z.array(accessEventSchema).min(1).max(1000) }),
          response: { 200: z.object({ accepted: z.number().int(), lastSeq: z.number().int() }), ...problemResponses },
        },
      },
      async (request) => {
        const events = request.body.events.map(({ signerKey: _signer, nonce: _nonce, ...event }) => event);
        return hub.recordAccessEvents(principalOf(request), events);
      },
    );
  };
}
