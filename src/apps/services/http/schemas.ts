/**
 * What 一网通办's routes answer, for its part of the hub's OpenAPI document. These schemas also serialize the
 * answers, and an object schema drops what it does not list: each lists every field its view carries
 * (src/apps/services/service/views.ts, item-views.ts, sweep.ts).
 */
import { z } from 'zod';
import { certificateSchema, itemDefinitionSchema, tierSchema } from '../service/definition';

const nullableText = z.string().nullable();

export const itemSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    nameEn: nullableText,
    kind: z.enum(['certificate', 'benefit']),
    issuer: itemDefinitionSchema.shape.issuer,
    legalBasis: z.string(),
    legalBasisEn: nullableText,
    promisedWorkingDays: z.number().int(),
    noApplication: z.boolean(),
    before: itemDefinitionSchema.shape.before,
    certificate: certificateSchema.nullable(),
    tiers: z.array(tierSchema),
  })
  .meta({ id: 'ServicesItemSummary' });

export const itemSchema = z.object({
  summary: itemSummarySchema,
  definition: itemDefinitionSchema.meta({ id: 'ServicesItemDefinition' }),
});

export const previewSchema = z.object({
  item: itemSummarySchema,
  checks: z.array(
    z.object({
      department: z.string(),
      resource: z.string(),
      resourceName: z.string(),
      mode: z.enum(['verify', 'compute']),
      question: z.string(),
      questionEn: nullableText,
    }),
  ),
  ownData: z.array(z.object({ question: z.string(), questionEn: nullableText })),
  documentsNotNeeded: z.array(z.string()),
  documentsNotNeededEn: z.array(z.string()).nullable(),
  applicantSees: z.array(z.string()),
  applicantSeesEn: z.array(z.string()).nullable(),
  consent: z.string(),
  consentEn: z.string(),
});

const reasonSchema = z.object({
  code: z.string(),
  title: z.string().optional(),
  titleEn: nullableText.optional(),
  explanation: z.string(),
  explanationEn: nullableText,
});

const benefitSchema = z.object({
  tier: z.object({ id: z.string(), name: z.string(), nameEn: nullableText, monthly: z.number().nullable() }),
  supplements: z.array(z.object({ id: z.string(), name: z.string(), nameEn: nullableText, monthly: z.number() })),
  monthlyAmount: z.number().nullable(),
});

const certificateViewSchema = z.object({
  number: z.string(),
  title: z.string(),
  titleEn: nullableText,
  holderName: z.string(),
  birthDate: z.string(),
  issueDate: z.string(),
  validUntil: nullableText,
  tier: nullableText,
  issuer: z.string(),
  issuerCode: z.string(),
  keyId: z.string(),
  payload: z.string().describe('the signed payload the QR code carries (`hutong cert verify`)'),
  qr: z.object({ svg: z.string(), png: z.string().describe('a data: URL') }).optional(),
});

const applicationFields = {
  id: z.string(),
  item: z.object({ id: z.string(), name: z.string(), nameEn: nullableText, noApplication: z.boolean() }),
  status: z.enum(['pending_verification', 'approved', 'rejected']),
  decision: z.enum(['approved', 'rejected']).nullable(),
  reasons: z.array(reasonSchema),
  benefit: benefitSchema.nullable(),
  certificate: certificateViewSchema.nullable(),
  applicant: z.object({ idMasked: z.string(), nameMasked: z.string() }),
  asOf: z.string(),
  submittedAt: z.string(),
  decidedAt: nullableText,
  decidedInstantly: z.boolean(),
  message: nullableText,
  messageEn: nullableText,
  receipt: z
    .string()
    .optional()
    .describe('only in the answer to the submission: the secret to look the application up with (X-Receipt)'),
};

export const applicationSchema = z.object(applicationFields).meta({ id: 'ServicesApplication' });

export const staffApplicationSchema = z
  .object({
    ...applicationFields,
    channel: z.enum(['self_service', 'counter', 'api']),
    officer: nullableText,
    attempts: z.number().int(),
    lastError: nullableText,
    nextAttemptAt: nullableText,
    documentsSaved: z.number().int(),
    tripsSaved: z.number().int(),
    checks: z.array(z.object({ fact: z.string(), resource: nullableText, requestId: nullableText })),
  })
  .meta({ id: 'ServicesApplicationForStaff' });

export const applicationPageSchema = z.object({
  items: z.array(staffApplicationSchema),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

const byTierSchema = z.array(z.object({ tier: z.string(), name: z.string(), count: z.number(), amount: z.number() }));

export const sweepResultSchema = z.object({
  id: z.string(),
  item: z.string(),
  month: z.string(),
  asOf: z.string(),
  runAt: z.string(),
  eligibleCount: z.number().int(),
  totalAmount: z.number(),
  byTier: byTierSchema,
  eligible: z.array(
    z.object({
      idNumber: z.string(),
      age: z.number().int(),
      tier: z.string(),
      tierMonthly: z.number(),
      supplements: z.array(z.string()),
      amount: z.number(),
    }),
  ),
  newlyEligible: z.array(z.string()),
  requestIds: z.array(z.string()),
  durationMs: z.number(),
});

export const sweepRunsSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      item: z.string(),
      month: z.string(),
      asOf: z.string(),
      runAt: z.string(),
      officer: nullableText,
      eligibleCount: z.number().int(),
      newlyEligibleCount: z.number().int(),
      totalAmount: z.number(),
      byTier: byTierSchema,
      durationMs: z.number(),
    }),
  ),
});

export const metricsSchema = z.object({
  applications: z.number().int(),
  instantDecisions: z.number().int(),
  pending: z.number().int(),
  approved: z.number().int(),
  rejected: z.number().int(),
  documentsSaved: z.number().int(),
  tripsSaved: z.number().int(),
  certificatesIssued: z.number().int(),
  byItem: z.array(
    z.object({
      itemId: z.string(),
      applications: z.number().int(),
      approved: z.number().int(),
      rejected: z.number().int(),
      pending: z.number().int(),
    }),
  ),
  benefitsWithoutApplication: z.array(z.object({ item: z.string(), month: z.string(), eligible: z.number().int() })),
  items: z.array(z.object({ id: z.string(), name: z.string(), nameEn: nullableText })),
});

export const issuerKeysSchema = z.object({
  keys: z.array(
    z.object({
      issuer: z.string(),
      name: z.string(),
      keyId: z.string(),
      algorithm: z.enum(['Ed25519', 'SM2']).describe('SM2 (with SM3, default user ID) under the 国密 suite'),
      publicKey: z.string().describe('raw public key, base64: 32 bytes Ed25519, or 65 bytes uncompressed SM2'),
    }),
  ),
});

export const verifyOutcomeSchema = z.union([
  z.object({
    valid: z.literal(true),
    certificate: z.object({
      itemId: z.string(),
      number: z.string(),
      holderName: z.string(),
      birthDate: z.string(),
      issueDate: z.string(),
      validUntil: nullableText,
      tier: nullableText,
      issuerCode: z.string(),
      issuerName: z.string(),
    }),
    keyId: z.string(),
  }),
  z.object({
    valid: z.literal(false),
    code: z.enum(['MALFORMED', 'UNKNOWN_KEY', 'BAD_SIGNATURE']),
    detail: z.string(),
  }),
]);
