/**
 * Nodes ship their sealed access records to the hub's log here. Only a node writes them: the request must
 * carry an RFC 9421 signature by the member's current node key (tag `hutong-audit-shipment`); a console
 * session or a member API token alone is refused, whoever holds it.
 */
import type { FastifyPluginAsync } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  AGREEMENT_ID,
  KEYED_HASH,
  MEMBER_CODE,
  REQUEST_ID,
  SUBJECTS_PER_RECORD,
} from '../../../core/audit/access-record';
import type { AccessShipment } from '../../../core/audit/shipment';
import { HutongError } from '../../../core/errors';
import type { HubService } from '../../service/hub-service';
import { claimedSignatureKeyId, SignatureError, verifyHubCall } from '../../../node/exchange/http-signatures';
import { type Authenticate, bearerToken, principalOf } from '../../../platform/http/auth';
import { bearerSecurity, type NodeSignatureOptions, nodeSignatureSecurity, parseRawJson } from './common';

const keyed = z.string().regex(KEYED_HASH);
const sha256Base64 = z.string().regex(/^[A-Za-z0-9+/]{43}=$/);

const recordSchema = z.strictObject({
  v: z.literal(2),
  node: z.string().regex(MEMBER_CODE),
  seq: z.number().int().min(1),
  prev: sha256Base64.nullable(),
  eventId: z.string().regex(/^[A-Za-z0-9._:-]{1,64}$/),
  at: z.iso.datetime(),
  decision: z.enum(['served', 'denied']),
  code: z
    .string()
    .regex(/^[A-Z][A-Z0-9_]{1,47}$/)
    .nullable(),
  consumerCode: z.string().regex(MEMBER_CODE),
  resourceCode: z
    .string()
    .regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/)
    .max(64)
    .nullable(),
  agreementId: z.string().regex(AGREEMENT_ID).nullable(),
  mode: z.enum(['verify', 'record', 'aggregate', 'compute']).nullable(),
  items: z.array(z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,63}$/)).max(500),
  requestId: z.string().regex(REQUEST_ID).nullable(),
  requestDigest: keyed.nullable(),
  responseDigest: keyed.nullable(),
  officer: keyed.nullable(),
  caseId: keyed.nullable(),
  // Keyed hashes only: a raw identifier does not fit this shape.
  subjects: z.array(keyed).max(SUBJECTS_PER_RECORD),
  part: z.number().int().min(1).optional(),
  parts: z.number().int().min(2).optional(),
  covertUntil: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
});

const shipmentSchema = z.strictObject({
  records: z.array(recordSchema).min(1).max(1000),
  details: z
    .array(
      z.strictObject({
        seq: z.number().int().min(1),
        officer: z.string().max(64).nullable(),
        caseId: z.string().max(64).nullable(),
      }),
    )
    .max(1000),
  seal: z.strictObject({
    seq: z.number().int().min(1),
    hash: sha256Base64,
    keyId: z.string().max(128),
    signature: z.string().regex(/^[A-Za-z0-9+/]{86}==$/),
  }),
});

const cursorSchema = z.object({ lastSeq: z.number().int(), lastHash: z.string().nullable() });

/** `member:keyId` as a node signs it. */
function splitKeyId(keyId: string): { member: string; id: string } | undefined {
  const match = /^([a-z][a-z0-9_]{1,31}):([A-Za-z0-9._-]{1,64})$/.exec(keyId);
  return match ? { member: match[1]!, id: match[2]! } : undefined;
}

export type LedgerIntakeOptions = NodeSignatureOptions;

/** The cursor a node reads (with its member's API token) before shipping. */
export function ledgerCursorRoutes(hub: HubService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/ledger/access-events/cursor',
      {
        schema: {
          tags: ['ledger'],
          summary: '本单位前置机记录链在账本中的位置 / How far the log holds this member node’s chain',
          security: bearerSecurity,
          response: { 200: cursorSchema },
        },
      },
      async (request) => hub.intake.cursor(principalOf(request)),
    );
  };
}

/** The shipment route: authenticated by the node's signature, not by a bearer token. */
export function ledgerIntakeRoutes(
  hub: HubService,
  authenticate: Authenticate,
  options: LedgerIntakeOptions,
): FastifyPluginAsync {
  return async (app) => {
    // The signature covers the exact bytes: the body is parsed only after it verified.
    app.removeAllContentTypeParsers();
    app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));
    app.post(
      '/ledger/access-events',
      {
        schema: {
          tags: ['ledger'],
          summary: '前置机报送访问记录（须由前置机签名）/ A node ships its sealed access records (node-signed)',
          description:
            'RFC 9421 signature by the member’s current node key over @method, @path, @query and content-digest, ' +
            'with a nonce and tag="hutong-audit-shipment". Body: { records, details, seal } (src/core/audit/shipment.ts).',
          security: nodeSignatureSecurity,
          described: { body: shipmentSchema },
          // Where the log's copy of the node's chain now ends.
          response: { 200: cursorSchema },
          // A replayed shipment, records missing in between, records that do not continue the logged chain.
          problems: [409],
        },
      },
      async (request) => {
        const claimed = claimedSignatureKeyId(request.headers);
        if (claimed === undefined) {
          // Say why precisely: a person's session never writes the log; a token alone is not a node.
          const token = bearerToken(request);
          const principal = token ? await authenticate(token) : undefined;
          if (principal?.username) throw new HutongError('SESSION_CANNOT_WRITE_LEDGER');
          throw new HutongError('NODE_SIGNATURE_REQUIRED');
        }
        const parts = splitKeyId(claimed);
        const key = parts ? await hub.members.currentNodeKey(parts.member, parts.id) : undefined;
        if (!parts || !key) {
          throw new HutongError(
            'NODE_SIGNATURE_INVALID',
            `不是成员单位现用的前置机密钥 / not a current node key: ${claimed.slice(0, 100)}`,
          );
        }
        const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
        let verified: ReturnType<typeof verifyHubCall>;
        try {
          verified = verifyHubCall(
            { method: request.method, target: request.url, headers: request.headers, body },
            'hutong-audit-shipment',
            {
              now: options.now(),
              windowSeconds: options.windowSeconds,
              lookupKey: () => options.verifierFor(key),
            },
          );
        } catch (error) {
          if (error instanceof SignatureError)
            throw new HutongError('NODE_SIGNATURE_INVALID', `${error.code}: ${error.message}`);
          throw error;
        }
        const shipment = parseRawJson(body, shipmentSchema, '报送内容不合法 / invalid shipment');
        return hub.intake.record(
          {
            memberCode: parts.member,
            keyId: parts.id,
            publicKey: new Uint8Array(Buffer.from(key.publicKey, 'base64')),
            nonce: verified.nonce,
            expiresAt: new Date(verified.created.getTime() + 2 * options.windowSeconds * 1000).toISOString(),
          },
          shipment as AccessShipment,
        );
      },
    );
  };
}
