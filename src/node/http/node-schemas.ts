/**
 * What a node's routes take and answer, for its OpenAPI document. They describe and never touch an answer:
 * the node serializes with JSON.stringify (node-app.ts), and its peer answers leave as the signed bytes they
 * are — a schema that dropped a field would break the signature over the body's digest.
 */
import { z } from 'zod';
import { accessModes } from '../../core/catalog/resource';
import { catalogueSections } from '../../core/error-catalogue';

const nullableText = z.string().nullable();

/**
 * A route's entry in the node's OpenAPI document. Nothing here validates or serializes: request bodies are
 * signed bytes parsed after verification (`described`), and answers leave as the handlers build them.
 */
export function doc(
  tag: string,
  summary: string,
  security: Record<string, string[]>[],
  parts: {
    response: Record<number, unknown>;
    problems?: number[];
    described?: { body?: unknown; querystring?: unknown };
    consumes?: string[];
  },
) {
  return { tags: [tag], summary, security, ...parts };
}

/**
 * The statuses a provider's refusal takes: every code of the access core and the exchange (the one catalogue),
 * but a failure of the node itself (500) and the consumer side's own (502: a provider not reached or not
 * verified), which only a local query answers.
 */
export const refusalStatuses = (consumerSide: boolean) =>
  [
    ...new Set(
      Object.values({ ...catalogueSections.access, ...catalogueSections.exchange }).map((entry) => entry.httpStatus),
    ),
  ].filter((status) => status !== 500 && (consumerSide || status !== 502));

/** An answer in plain text (or another text media type). */
export const text = (description: string, mediaType = 'text/plain') => ({
  description,
  content: { [mediaType]: { schema: z.string() } },
});

export const healthSchema = z.object({ status: z.literal('ok'), member: z.string() });

export const signedHeadSchema = z.object({
  node: z.string(),
  at: z.string(),
  seq: z.number().int(),
  hash: z.string().describe('base64 SHA-256 of the chain’s head record'),
  keyId: z.string().describe('`<member>:<key id>` as registered at the hub'),
  signature: z
    .string()
    .describe('base64 signature over the seal statement by the node key (Ed25519, or SM2 r‖s under the 国密 suite)'),
});

export const nodeKeySchema = z.object({
  member: z.string(),
  keyId: z.string(),
  algorithm: z.enum(['ed25519', 'sm2']).describe('the key’s algorithm (sm2 under the 国密 suite)'),
  publicKey: z.string().describe('raw public key, base64: 32 bytes Ed25519, or 65 bytes uncompressed SM2'),
});

/** A mode's own fields beside each other (src/core/access/local-query.ts); checked by the access core. */
const modePayload = {
  subject: z.string().optional().describe('verify, compute: one subject (ID number or credit code)'),
  subjects: z.array(z.string()).optional().describe('record, compute: several subjects'),
  predicate: z.unknown().optional().describe('verify: the question, in the predicate language'),
  items: z.array(z.string()).optional().describe('record: the items wanted (default: all granted)'),
  query: z.unknown().optional().describe('aggregate: group-by, measures and filters'),
  computation: z.string().optional().describe('compute: a published computation'),
  params: z.record(z.string(), z.unknown()).optional().describe('compute: its parameters'),
};

export const peerRequestSchema = z.looseObject(modePayload);

export const localQuerySchema = z.looseObject({
  agreementId: z.string(),
  mode: z.enum(accessModes),
  officer: z.string().optional().describe('who asks, when a system asks on someone’s behalf'),
  caseId: z.string().optional(),
  covertUntil: z.string().optional().describe('withhold the access from the subject until this date (YYYY-MM-DD)'),
  ...modePayload,
});

export const peerAnswerSchema = z.object({
  agreementId: z.string(),
  resource: z.string(),
  mode: z.enum(accessModes),
  requestId: z.string(),
  result: z.unknown().describe('the mode’s answer: verify true/false, masked records, aggregate cells, outputs'),
});

export const agreementChangedSchema = z.object({ agreementId: z.string().max(64) });

const termsSchema = z.looseObject({
  items: z.array(z.string()),
  modes: z.array(z.enum(accessModes)),
  validFrom: z.string(),
  validTo: z.string(),
  rateLimitPerMinute: z.number().int(),
});

const cachedAgreementSchema = z.object({
  agreement: z.looseObject({
    id: z.string(),
    resourceCode: z.string(),
    consumerCode: z.string(),
    providerCode: z.string(),
    purpose: z.string(),
    legalBasis: z.string(),
    requested: termsSchema,
    granted: termsSchema.nullable(),
    status: z.string(),
    appliedAt: z.string(),
    dueAt: z.string(),
    answeredAt: nullableText,
    history: z.array(z.looseObject({})),
    version: z.number().int(),
  }),
  confirmedAt: z.string().describe('when the hub last confirmed this state to the node'),
});

export const agreementsSchema = z.object({ items: z.array(cachedAgreementSchema) });

const computationSchema = z.looseObject({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  subjectKind: z.string(),
  params: z.array(z.looseObject({ name: z.string(), type: z.string() })),
  resource: z.string(),
  subjectItem: z.string(),
  items: z.array(z.string()),
  outputs: z.array(z.looseObject({ name: z.string() })),
});

export const computationsSchema = z.object({ items: z.array(computationSchema) });

export const requestsQuerySchema = z.object({
  limit: z.string().optional().describe('1–5000, default 50'),
  decision: z.enum(['served', 'denied']).optional(),
});

export const requestsSchema = z.object({
  items: z.array(
    z.looseObject({
      seq: z.number().int(),
      eventId: z.string(),
      at: z.string(),
      decision: z.enum(['served', 'denied']),
      code: nullableText,
      consumerCode: z.string(),
      providerCode: z.string(),
      resourceCode: nullableText,
      agreementId: nullableText,
      mode: z.enum(accessModes).nullable(),
      items: z.array(z.string()),
      purpose: nullableText,
      officer: nullableText,
      caseId: nullableText,
      requestId: nullableText,
      record: z.looseObject({}).describe('the public record of the decision in the node’s chain'),
      recordHash: z.string(),
    }),
  ),
});

export const overviewSchema = z.object({
  member: z.string(),
  keyId: z.string(),
  lastSync: nullableText,
  stats: z.object({ dataReads: z.number(), audited: z.number(), served: z.number(), denied: z.number() }),
  resources: z.array(
    z.object({
      code: z.string(),
      name: z.string(),
      sharingType: z.string(),
      accessModes: z.array(z.enum(accessModes)),
      masking: z.record(z.string(), z.unknown()),
      aggregateDimensions: z.array(z.string()),
    }),
  ),
  computations: z.array(computationSchema),
  agreements: z.array(cachedAgreementSchema),
  nodeUrl: z.string(),
});

export const statsSchema = z.object({
  member: z.string(),
  dataReads: z.number().int(),
  audited: z.number().int(),
  shipping: z.object({ failures: z.number().int(), lastError: nullableText, lastErrorAt: nullableText }),
});

export const syncSchema = z.object({ agreements: z.number().int().describe('agreements the node now holds') });
