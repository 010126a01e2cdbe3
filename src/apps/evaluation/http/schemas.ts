/**
 * What 亩均论英雄's routes answer, for its part of the hub's OpenAPI document. These schemas also serialize the
 * answers, and an object schema drops what it does not list: each lists every field its view carries
 * (src/apps/evaluation/service/rows.ts, enterprise-view.ts, service.ts). What is kept as JSON from the run
 * (a methodology, a summary, an enterprise's detail) is open beyond the members named here.
 */
import { z } from 'zod';
import { classes, methodologySchema } from '../service/config';

const nullableText = z.string().nullable();
const evaluationClass = z.enum(classes);
/** A class as stored with an enterprise's row (A–D), null when not graded. */
const storedClass = z.string().nullable().describe('A–D; null when not graded');

export const methodologyDocumentSchema = methodologySchema.meta({ id: 'EvaluationMethodology' });

export const methodologyListSchema = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      version: z.string(),
      title: z.string(),
      titleEn: z.string().nullable(),
      description: z.string(),
      sources: z.array(z.string()),
    }),
  ),
});

const exchangeSchema = z.object({
  seq: z.number().int(),
  source: z.string(),
  provider: z.string(),
  resource: z.string(),
  computation: z.string(),
  agreementId: z.string(),
  year: z.number().int().nullable(),
  requestId: z.string(),
  subjects: z.number().int(),
  ledgerIndex: z.number().int().nullable().describe('the access entry in the audit log, once looked up'),
});

const summarySchema = z.looseObject({
  methodology: z.looseObject({ id: z.string(), version: z.string(), title: z.string() }),
  years: z.array(z.number().int()),
  counts: z.looseObject({ registry: z.number(), inScope: z.number(), graded: z.number() }),
  groups: z.array(z.looseObject({ label: z.string(), graded: z.number() })),
  byDistrict: z.array(z.looseObject({})),
  byIndustry: z.array(z.looseObject({})),
  policies: z.array(z.looseObject({ kind: z.string(), class: evaluationClass, label: z.string() })),
});

export const evaluationSchema = z
  .object({
    id: z.string(),
    year: z.number().int(),
    configId: z.string(),
    configVersion: z.string(),
    config: z
      .looseObject({ id: z.string(), version: z.string(), title: z.string() })
      .nullable()
      .describe('the methodology document it ran with (as GET /configs/{id})'),
    status: z.enum(['running', 'done', 'failed']),
    progress: nullableText,
    error: z.object({ code: z.string(), detail: z.string() }).nullable(),
    createdAt: z.string(),
    finishedAt: nullableText,
    createdBy: z.string(),
    summary: summarySchema.nullable().describe('null until the run is done'),
    durationMs: z.number().nullable(),
    enterpriseCount: z.number().int(),
    exchanges: z
      .array(exchangeSchema)
      .optional()
      .describe(
        'GET /evaluations/{id} only (empty for a providing department): the exchanges that supplied the figures',
      ),
  })
  .meta({ id: 'Evaluation' });

const standingFields = {
  uscc: z.string(),
  name: z.string(),
  districtCode: z.string(),
  industryCode: z.string(),
  group: nullableText,
  graded: z.boolean(),
  reason: nullableText,
  reasonLabel: nullableText,
  total: z.number().nullable(),
  rank: z.number().int().nullable(),
  class: storedClass,
  rankClass: storedClass,
};

const listItemFields = {
  ...standingFields,
  veto: z.boolean(),
  previousClass: storedClass,
  surcharge: nullableText.describe('元; null for a providing department (another department’s figure)'),
};

export const enterprisePageSchema = z.object({
  items: z.array(z.object(listItemFields)),
  total: z.number().int(),
  page: z.number().int(),
  pageSize: z.number().int(),
});

const policyResultSchema = z.object({
  kind: z.enum(['electricitySurcharge', 'listed']),
  class: evaluationClass,
  label: z.string(),
  consecutiveYears: z.number().int().optional(),
  rate: z.string().optional(),
  kwh: z.number().nullable().optional(),
  amount: nullableText.optional(),
});

export const objectionSchema = z
  .object({
    id: z.string(),
    evaluationId: z.string(),
    year: z.number().int(),
    uscc: z.string(),
    enterpriseName: z.string(),
    figure: z.string(),
    provider: z.string(),
    reason: z.string(),
    status: z.enum(['open', 'corrected', 'rejected']),
    filedByMember: z.string(),
    filedByUser: nullableText,
    filedAt: z.string(),
    resolvedAt: nullableText,
    resolvedBy: nullableText,
    resolutionNote: nullableText,
  })
  .meta({ id: 'EvaluationObjection' });

export const enterpriseSchema = z.object({
  evaluationId: z.string(),
  year: z.number().int(),
  methodology: z.object({ id: z.string(), version: z.string() }),
  ...listItemFields,
  missing: z.array(z.string()),
  earliestLandAcquired: nullableText,
  indicators: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      nameEn: z.string(),
      unit: z.string(),
      weight: z.number(),
      numerator: z.string(),
      denominator: z.string(),
      value: z.number().nullable(),
      benchmark: z.number().nullable(),
      score: z.number().nullable(),
      basis: z.unknown().describe('how the score was reached; null when hidden'),
      hidden: z.boolean(),
    }),
  ),
  figures: z.array(
    z.looseObject({
      figure: z.string(),
      value: z.unknown(),
      hidden: z.boolean(),
      provider: z.string(),
      department: z.string(),
      computation: z.string(),
      requestId: nullableText,
      ledgerIndex: z.number().int().nullable(),
      disputed: z.boolean(),
    }),
  ),
  registry: z.object({
    provider: z.string(),
    department: z.string(),
    requestId: nullableText,
    ledgerIndex: z.number().int().nullable(),
  }),
  veto: z.unknown().describe('the veto that applies (an event), or null'),
  previousClasses: z.array(evaluationClass.nullable()),
  policies: z.array(policyResultSchema),
  objections: z.array(objectionSchema),
});

export const movesSchema = z.object({
  basis: z.union([
    z.object({ kind: z.literal('sameRun'), year: z.number().int() }),
    z.object({ kind: z.literal('evaluation'), id: z.string(), year: z.number().int(), configId: z.string() }),
  ]),
  matrix: z
    .record(z.string(), z.record(z.string(), z.number().int()))
    .describe('class before → class now → enterprises ("-": not graded)'),
  moved: z.array(
    z.object({
      uscc: z.string(),
      name: z.string(),
      group: nullableText,
      from: storedClass,
      to: storedClass,
    }),
  ),
  movedTotal: z.number().int(),
});

export const policiesSchema = z.object({
  items: z.array(
    z.object({
      uscc: z.string(),
      name: z.string(),
      group: z.string(),
      rank: z.number().int(),
      class: evaluationClass,
      districtCode: z.string(),
      industryCode: z.string(),
      kind: z.enum(['electricitySurcharge', 'listed']),
      label: z.string(),
      consecutiveYears: z.number().int().nullable(),
      rate: nullableText,
      kwh: z.number().nullable(),
      amount: nullableText,
    }),
  ),
  summary: z.array(
    z.object({
      kind: z.enum(['electricitySurcharge', 'listed']),
      class: evaluationClass,
      label: z.string(),
      enterprises: z.number().int(),
      amount: nullableText,
    }),
  ),
});

/** The whole result: sent as the JSON text it was written as (never re-serialized), described here. */
export const resultSchema = z.looseObject({
  evaluation: z.object({
    id: z.string(),
    year: z.number().int(),
    methodology: z.looseObject({ id: z.string(), version: z.string(), title: z.string() }),
    createdAt: z.string(),
    finishedAt: nullableText,
  }),
  groups: z.array(z.looseObject({})),
  counts: z.looseObject({}),
  byDistrict: z.array(z.looseObject({})),
  byIndustry: z.array(z.looseObject({})),
  policies: z.array(z.looseObject({})),
  exchanges: z.array(exchangeSchema),
  objections: z.array(objectionSchema),
  enterprises: z.array(z.looseObject({ ...standingFields, scores: z.record(z.string(), z.number()) })),
});
