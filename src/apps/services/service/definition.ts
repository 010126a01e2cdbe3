/**
 * A service item (办事事项) as data: who issues it and on what legal basis, the facts it asks other
 * departments (a yes/no 核验 wherever that suffices), the checks built on those facts with their reason
 * codes and plain-Chinese explanations, benefit tiers, the 免申即享 sweep and the certificate template.
 * Definitions are YAML or JSON files validated by the schema below plus the cross-checks in
 * `checkDefinition`; a department adds an item by adding a file, not code.
 *
 * Predicates are the exchange's verify language (src/core/access/predicate.ts). Strings in a predicate or
 * in computation parameters may name a variable: `$name`, `$idNumber`, `$asOf`, and dates shifted from
 * `$asOf` such as `$asOf-6M`, `$asOf-1Y`, `$asOf+30D`; a sweep also knows `$monthEnd` and `$minTierAge`.
 */
import { z } from 'zod';
import { checkPredicate, type Predicate } from '../../../core/access/predicate';
import type { DataItem } from '../../../core/catalog/resource';
import { addDays, addMonths } from '../../../core/calendar/dates';
import { isIsoDate } from '../../../core/access/values';
import { ServiceError } from './errors';

const text = z.string().trim().min(1).max(2000);
const shortText = z.string().trim().min(1).max(200);
const resourceCode = z.string().regex(/^[a-z][a-z0-9_]*\.[a-z][a-z0-9_]*$/, 'a catalog code such as gongan.household');
const reasonCode = z.string().regex(/^[A-Z][A-Z0-9_]{2,47}$/, 'UPPER_SNAKE_CASE');
const itemId = z.string().regex(/^[a-z][a-z0-9-]{1,47}$/, 'lower-case letters, digits and dashes');
const factId = z.string().regex(/^[a-z][a-z0-9_]{0,47}$/);
const money = z.number().min(0).max(1_000_000).multipleOf(0.01);
const json = z.record(z.string(), z.unknown());

/** Where an exchange fact is asked: the provider's resource, named for the applicant's preview. */
const exchangeSource = {
  resource: resourceCode,
  department: shortText,
  resourceName: shortText,
};

const exchangeVerifyFact = z.strictObject({
  source: z.literal('exchange'),
  mode: z.literal('verify'),
  ...exchangeSource,
  question: shortText,
  questionEn: shortText.optional(),
  predicate: json,
});

const exchangeComputeFact = z.strictObject({
  source: z.literal('exchange'),
  mode: z.literal('compute'),
  ...exchangeSource,
  question: shortText,
  questionEn: shortText.optional(),
  computation: z.string().min(3).max(96),
  params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
  /** A boolean output of the computation: the fact's answer. A missing subject answers not_found. */
  output: z.string().min(1).max(64),
});

/** A fact about the applicant's own input (the birth date in the ID number): no department is asked. */
const applicantFact = z.strictObject({
  source: z.literal('applicant'),
  question: shortText,
  questionEn: shortText.optional(),
  predicate: json,
});

/** Whether this system has already issued a (still valid) certificate of the named item to the applicant. */
const issuedFact = z.strictObject({
  source: z.literal('issued'),
  question: shortText,
  questionEn: shortText.optional(),
  item: itemId,
});

const factSchema = z.union([exchangeVerifyFact, exchangeComputeFact, applicantFact, issuedFact]);

export type RuleExpr =
  | { fact: string; is?: boolean | 'not_found' | undefined }
  | { all: RuleExpr[] }
  | { any: RuleExpr[] }
  | { not: RuleExpr };

// Named: a recursive schema is described once and referred to (the API's document shows item definitions).
const ruleSchema: z.ZodType<RuleExpr> = z
  .lazy(() =>
    z.union([
      z.strictObject({ fact: factId, is: z.union([z.boolean(), z.literal('not_found')]).optional() }),
      z.strictObject({ all: z.array(ruleSchema).min(1).max(20) }),
      z.strictObject({ any: z.array(ruleSchema).min(1).max(20) }),
      z.strictObject({ not: ruleSchema }),
    ]),
  )
  .meta({ id: 'ServicesItemRule' });

const checkSchema = z
  .strictObject({
    code: reasonCode,
    /** The reason's short name where a list shows it (窗口, 办事事项): a person never reads the code. */
    title: z.string().trim().min(1).max(40),
    titleEn: z.string().trim().min(1).max(80).optional(),
    /** What the applicant reads when the check fails: plain Chinese, no other department's data. */
    explanation: text,
    explanationEn: text.optional(),
    /** The check passes when this holds … */
    pass: ruleSchema.optional(),
    /** … or fails when this holds (exactly one of the two). */
    fail: ruleSchema.optional(),
    /** A failed final check ends the evaluation: nothing more is asked or told (identity checks). */
    final: z.boolean().default(false),
  })
  .refine((check) => (check.pass === undefined) !== (check.fail === undefined), {
    message: 'a check has exactly one of pass and fail',
  });

export const tierSchema = z.strictObject({
  id: z.string().min(1).max(32),
  name: shortText,
  nameEn: shortText.optional(),
  minAge: z.number().int().min(0).max(150),
  maxAge: z.number().int().min(0).max(150).optional(),
  /** Monthly amount in 元 (a cash benefit); omitted for in-kind tiers (e.g. free or half-price rides). */
  monthly: money.optional(),
});

const supplementSchema = z.strictObject({
  id: z.string().min(1).max(32),
  name: shortText,
  nameEn: shortText.optional(),
  monthly: money,
  /** At application: one yes/no question. */
  verify: z.strictObject({ ...exchangeSource, question: shortText, questionEn: shortText.optional(), predicate: json }),
  /** In a sweep: one batched computation over the whole population (a boolean output). */
  batch: z.strictObject({
    ...exchangeSource,
    computation: z.string().min(3).max(96),
    params: z.record(z.string(), z.union([z.string(), z.number()])).default({}),
    output: z.string().min(1).max(64),
  }),
});

const benefitSchema = z.strictObject({
  /** Where the registered birth date is, for the tier (asked as yes/no "aged at least N" questions). */
  ageSource: z.strictObject({
    ...exchangeSource,
    item: z.string().min(1).max(64),
    /** Without a row there, the birth date in the applicant's ID number decides the tier. */
    fallbackToIdNumber: z.boolean().default(true),
  }),
  tiers: z.array(tierSchema).min(1).max(20),
  supplements: z.array(supplementSchema).max(10).default([]),
});

const sweepSchema = z.strictObject({
  /** A roster computation over the whole register giving each eligible person's registered birth date. */
  population: z.strictObject({
    ...exchangeSource,
    computation: z.string().min(3).max(96),
    params: z.record(z.string(), z.union([z.string(), z.number()])),
    birthDateOutput: z.string().min(1).max(64),
  }),
});

export const certificateSchema = z.strictObject({
  title: shortText,
  titleEn: shortText.optional(),
  /** Certificate numbers: prefix + issue year + a six-digit sequence, e.g. QHYDZ2026000001. */
  numberPrefix: z.string().regex(/^[A-Z]{2,8}$/),
  /** Years of validity from the issue date; omitted = no expiry. */
  validYears: z.number().int().min(1).max(50).optional(),
  /** Print the benefit tier on the certificate (e.g. 免费 / 半价). */
  showTier: z.boolean().default(false),
});

export const itemDefinitionSchema = z.strictObject({
  id: itemId,
  name: shortText,
  nameEn: shortText.optional(),
  /** 'certificate': approval issues a signed certificate; 'benefit': a monthly benefit, no certificate. */
  kind: z.enum(['certificate', 'benefit']),
  issuer: z.strictObject({
    code: z.string().regex(/^[a-z][a-z0-9_]{1,31}$/),
    name: shortText,
    nameEn: shortText.optional(),
  }),
  legalBasis: text,
  legalBasisEn: text.optional(),
  /** Promised processing time through this system; 0 = 即时办结. */
  promisedWorkingDays: z.number().int().min(0).max(60),
  /** The sharing agreements this item uses are those whose purpose starts with this text. */
  purpose: shortText,
  /** How the item was handled before: for the counter's "documents not brought" and "trips saved". */
  before: z.strictObject({
    promisedWorkingDays: z.number().int().min(0).max(365),
    trips: z.number().int().min(0).max(10),
    documents: z.array(shortText).max(20),
    /** The same documents in English, in the same order. */
    documentsEn: z.array(shortText).max(20).optional(),
  }),
  /** What the applicant is shown: the inputs asked and what the result contains. */
  applicantSees: z.array(shortText).min(1).max(20),
  applicantSeesEn: z.array(shortText).max(20).optional(),
  /**
   * How long an application waits for the departments' answers before it is kept 待核验 (pending) and
   * retried in the background: a person at the counter would rather wait a few seconds for an answer.
   */
  waitBeforePendingSeconds: z.number().int().min(1).max(120).default(20),
  /** 免申即享: residents get it without applying (found by the monthly sweep); applying only checks. */
  noApplication: z.boolean().default(false),
  facts: z.record(factId, factSchema),
  checks: z.array(checkSchema).min(1).max(30),
  benefit: benefitSchema.optional(),
  sweep: sweepSchema.optional(),
  certificate: certificateSchema.optional(),
});

export type ItemDefinition = z.infer<typeof itemDefinitionSchema>;
export type FactDefinition = z.infer<typeof factSchema>;
export type CheckDefinition = z.infer<typeof checkSchema>;
export type TierDefinition = z.infer<typeof tierSchema>;
export type SupplementDefinition = z.infer<typeof supplementSchema>;

/** Values a template string may name. Dates may be shifted: `$asOf-6M`. */
export type TemplateVars = Readonly<Record<string, string | number>>;

const VARIABLE = /^\$([a-zA-Z][a-zA-Z0-9]*)(?:([+-])(\d{1,3})([DMY]))?$/;

/** Replaces variables in a JSON value (predicates, parameters); throws on an unknown one. */
export function resolveTemplate<T>(value: T, vars: TemplateVars): T {
  const walk = (node: unknown): unknown => {
    if (typeof node === 'string') {
      const match = VARIABLE.exec(node);
      if (!match) return node;
      const [, name, sign, amount, unit] = match;
      if (!Object.hasOwn(vars, name!)) throw new Error(`unknown variable $${name}`);
      const base = vars[name!]!;
      if (!sign) return base;
      if (typeof base !== 'string' || !isIsoDate(base)) throw new Error(`$${name} is not a date to shift`);
      const n = Number(amount) * (sign === '-' ? -1 : 1);
      return unit === 'D' ? addDays(base, n) : addMonths(base, unit === 'M' ? n : n * 12);
    }
    if (Array.isArray(node)) return node.map(walk);
    if (node && typeof node === 'object') {
      return Object.fromEntries(Object.entries(node).map(([key, inner]) => [key, walk(inner)]));
    }
    return node;
  };
  return walk(value) as T;
}

/** The yes/no question for one benefit tier: aged at least minAge (and at most maxAge) on `asOf`. */
export function tierQuestion(tier: TierDefinition, birthDateItem: string, asOf: string): Predicate {
  const age = { ageAt: asOf, of: birthDateItem };
  return tier.maxAge === undefined
    ? { op: 'gte', item: age, value: tier.minAge }
    : {
        op: 'and',
        args: [
          { op: 'gte', item: age, value: tier.minAge },
          { op: 'lte', item: age, value: tier.maxAge },
        ],
      };
}

export interface VerifyQuestion {
  resource: string;
  /** With its variables in place (`$name`, `$asOf-6M`): the shape of every question asked from it. */
  predicate: Predicate;
}

/**
 * Every yes/no question an item may ask the departments. A provider's node answers only the questions its
 * agreement names, so 政务服务办's verify agreements list these (variables stay as template parameters).
 */
export function verifyQuestions(def: ItemDefinition): VerifyQuestion[] {
  const questions: VerifyQuestion[] = [];
  for (const fact of Object.values(def.facts)) {
    if (fact.source === 'exchange' && fact.mode === 'verify') {
      questions.push({ resource: fact.resource, predicate: fact.predicate as unknown as Predicate });
    }
  }
  if (def.benefit) {
    const { ageSource } = def.benefit;
    for (const tier of def.benefit.tiers) {
      questions.push({ resource: ageSource.resource, predicate: tierQuestion(tier, ageSource.item, '$asOf') });
    }
    for (const supplement of def.benefit.supplements) {
      questions.push({ resource: supplement.verify.resource, predicate: supplement.verify.predicate as Predicate });
    }
  }
  return questions;
}

/** The applicant's own data, as items of a pseudo-resource that `applicant` facts may ask about. */
export const applicantItems: readonly DataItem[] = [
  { name: 'id_number', title: '公民身份号码', type: 'string', description: '', sensitivity: 3, subjectKey: 'citizen' },
  { name: 'name', title: '姓名', type: 'string', description: '', sensitivity: 3, subjectKey: null },
  {
    name: 'birth_date',
    title: '出生日期（身份证号码）',
    type: 'date',
    description: '',
    sensitivity: 3,
    subjectKey: null,
  },
  {
    name: 'gender',
    title: '性别（身份证号码）',
    type: 'enum',
    description: '',
    sensitivity: 2,
    subjectKey: null,
    values: ['男', '女'],
  },
];

const sampleVars: TemplateVars = {
  name: '张三',
  idNumber: '11010519491231002X',
  asOf: '2026-06-30',
  monthEnd: '2026-06-30',
  minTierAge: 80,
};

/** The facts a rule names. */
export function factsIn(expr: RuleExpr, into: string[] = []): string[] {
  if ('fact' in expr) into.push(expr.fact);
  else if ('all' in expr) for (const inner of expr.all) factsIn(inner, into);
  else if ('any' in expr) for (const inner of expr.any) factsIn(inner, into);
  else factsIn(expr.not, into);
  return into;
}

function isPredicateShaped(value: unknown): value is Predicate {
  return typeof value === 'object' && value !== null && typeof (value as { op?: unknown }).op === 'string';
}

/**
 * Parses and cross-checks one definition: facts named by checks exist, codes are unique, templates name
 * known variables, applicant predicates are valid, tiers do not overlap, a sweep has a benefit to pay.
 * Throws a ServiceError `INVALID_ITEM_DEFINITION` naming the file and path.
 */
export function checkDefinition(input: unknown, origin: string): ItemDefinition {
  const parsed = itemDefinitionSchema.safeParse(input);
  const fail = (path: string, message: string): never => {
    throw new ServiceError('INVALID_ITEM_DEFINITION', `${origin}: ${path}: ${message}`, [{ path, message }]);
  };
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return fail(issue.path.join('.') || '(root)', issue.message);
  }
  const def = parsed.data;
  const codes = new Set<string>();
  for (const [index, check] of def.checks.entries()) {
    if (codes.has(check.code)) fail(`checks.${index}.code`, `duplicate reason code ${check.code}`);
    codes.add(check.code);
    for (const fact of factsIn((check.pass ?? check.fail)!)) {
      if (!Object.hasOwn(def.facts, fact)) fail(`checks.${index}`, `no fact ${fact}`);
    }
  }
  for (const [id, fact] of Object.entries(def.facts)) {
    const path = `facts.${id}`;
    try {
      if (fact.source === 'exchange' && fact.mode === 'verify') {
        if (!isPredicateShaped(fact.predicate)) fail(`${path}.predicate`, 'a predicate object with an op');
        resolveTemplate(fact.predicate, sampleVars);
      }
      if (fact.source === 'exchange' && fact.mode === 'compute') resolveTemplate(fact.params, sampleVars);
      if (fact.source === 'applicant') {
        checkPredicate(resolveTemplate(fact.predicate, sampleVars), {
          items: applicantItems,
          allowed: applicantItems.map((item) => item.name),
        });
      }
    } catch (error) {
      if (error instanceof ServiceError) throw error;
      fail(path, (error as Error).message);
    }
  }
  if (def.benefit) {
    const tiers = [...def.benefit.tiers].sort((a, b) => a.minAge - b.minAge);
    for (const [index, tier] of tiers.entries()) {
      const next = tiers[index + 1];
      if (tier.maxAge !== undefined && tier.maxAge < tier.minAge) fail(`benefit.tiers.${tier.id}`, 'maxAge < minAge');
      if (next && (tier.maxAge === undefined || tier.maxAge >= next.minAge)) {
        fail(`benefit.tiers.${tier.id}`, `overlaps tier ${next.id}`);
      }
    }
    for (const [index, supplement] of def.benefit.supplements.entries()) {
      try {
        resolveTemplate(supplement.verify.predicate, sampleVars);
        resolveTemplate(supplement.batch.params, sampleVars);
      } catch (error) {
        fail(`benefit.supplements.${index}`, (error as Error).message);
      }
    }
  }
  if (def.sweep) {
    if (!def.benefit) fail('sweep', 'a sweep needs a benefit (tiers) to pay');
    try {
      resolveTemplate(def.sweep.population.params, sampleVars);
    } catch (error) {
      fail('sweep.population.params', (error as Error).message);
    }
  }
  if (def.kind === 'certificate' && !def.certificate) fail('certificate', 'a certificate item needs a template');
  if (def.kind === 'benefit' && def.certificate) fail('certificate', 'a benefit item issues no certificate');
  return def;
}

/** The lowest age of any tier: the sweep's population threshold. */
export function minTierAge(def: ItemDefinition): number {
  return Math.min(...(def.benefit?.tiers ?? []).map((tier) => tier.minAge));
}

/** The tier for an age (full years), or undefined. */
export function tierForAge(def: ItemDefinition, age: number): TierDefinition | undefined {
  return def.benefit?.tiers.find((tier) => age >= tier.minAge && (tier.maxAge === undefined || age <= tier.maxAge));
}
