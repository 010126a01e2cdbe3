/**
 * The 亩均论英雄 methodology as data: a versioned, validated configuration (see README.md in this folder).
 * The default (`configs/default.json`) is RULES.md §8; `configs/huangyan-2022.json` reproduces Huangyan's
 * 2022 calculation (fixed published benchmarks, no cap). Pure: parsing and validation only, no I/O.
 */
import { z } from 'zod';

/**
 * The per-enterprise figures the exchange supplies for a year, by name (all decimal strings as the
 * departments' computations return them). Indicators are ratios of two of these.
 */
export const inputNames = [
  'tax',
  'value_added',
  'main_revenue',
  'rd_expense',
  'energy_tce',
  'employees',
  'land_mu',
  'kwh',
  'emission',
] as const;
export type InputName = (typeof inputNames)[number];

/** Event counts in year Y that a veto may test. */
export const vetoInputs = ['major_accidents', 'severe_penalties'] as const;
export type VetoInput = (typeof vetoInputs)[number];

export const classes = ['A', 'B', 'C', 'D'] as const;
export type EvaluationClass = (typeof classes)[number];

export const groupLabels = ['规上', '规下'] as const;
export type GroupLabel = (typeof groupLabels)[number];

/** Money rates are decimal strings (元/千瓦时) so that amounts are computed exactly. */
const decimalText = z.string().regex(/^\d{1,6}(\.\d{1,6})?$/, 'a decimal such as "0.05"');
const code = z.string().regex(/^[A-Z][A-Z0-9_]{1,47}$/, 'an upper-case code such as NEW_ENTERPRISE');
const share = z.number().min(0).max(1);

const benchmarkSchema = z.discriminatedUnion('type', [
  /** The group's ratio of totals over its graded enterprises (those with data for this indicator). */
  z.strictObject({ type: z.literal('ratioOfTotals') }),
  /** A published value, e.g. Huangyan 2022. */
  z.strictObject({ type: z.literal('fixed'), value: z.number().positive().finite() }),
]);

const indicatorSchema = z.strictObject({
  id: z.string().regex(/^[a-z][a-z0-9_]{0,39}$/),
  name: z.string().min(1).max(40),
  nameEn: z.string().min(1).max(80),
  unit: z.string().max(20),
  numerator: z.enum(inputNames),
  denominator: z.enum(inputNames),
  /** The denominator is divided by this before use (10000: kWh → 万千瓦时). */
  denominatorDivisor: z.number().positive().finite().default(1),
  weight: z.number().positive().max(1000),
  benchmark: benchmarkSchema,
});

const missingRule = z.enum([
  /** Not graded: 数据不全. The default for every input an indicator uses. */
  'incomplete',
  /** Counted as 0 (e.g. no R&D row means no R&D). */
  'zero',
  /** The indicator scores the group's mean score of those with the data (Huangyan's emission rule). */
  'groupMeanScore',
]);

const groupSchema = z.strictObject({
  label: z.enum(groupLabels),
  /** Members: above-scale (统计 flag in Y) or not. An enterprise without a statistics row is not above-scale. */
  aboveScale: z.boolean(),
  /** Graded only with at least this much industrial land (mu); null: no minimum. */
  minLandMu: z.number().nonnegative().nullable(),
  indicators: z.array(indicatorSchema).min(1).max(20),
  /** What a missing input means, by input name; inputs not named here are `incomplete`. */
  missing: z.partialRecord(z.enum(inputNames), missingRule).default({}),
});

/** A label's English version, for the console's English mode (optional: a city may register none). */
const englishLabel = z.string().min(1).max(200).optional();

const exclusionSchema = z.discriminatedUnion('rule', [
  /** Registered on or after (Y − yearsBefore)-01-01. */
  z.strictObject({
    rule: z.literal('registeredSince'),
    code,
    label: z.string().min(1),
    labelEn: englishLabel,
    yearsBefore: z.number().int().min(0).max(20),
  }),
  /** No industrial parcel acquired on or before Y-12-31. */
  z.strictObject({ rule: z.literal('noIndustrialLand'), code, label: z.string().min(1), labelEn: englishLabel }),
  /** Every industrial parcel acquired on or after (Y − yearsBefore)-01-01. */
  z.strictObject({
    rule: z.literal('landAcquiredSince'),
    code,
    label: z.string().min(1),
    labelEn: englishLabel,
    yearsBefore: z.number().int().min(0).max(20),
  }),
]);

const policySchema = z.discriminatedUnion('kind', [
  /** 差别化电价: a surcharge per kWh by the number of consecutive years in the class (last rate repeats). */
  z.strictObject({
    kind: z.literal('electricitySurcharge'),
    class: z.enum(classes),
    label: z.string().min(1),
    labelEn: englishLabel,
    ratesByConsecutiveYear: z.array(decimalText).min(1).max(10),
  }),
  /** A listed measure without an amount (e.g. priority for land and energy quotas). */
  z.strictObject({
    kind: z.literal('listed'),
    class: z.enum(classes),
    label: z.string().min(1),
    labelEn: englishLabel,
  }),
]);

const tieBreakSchema = z.discriminatedUnion('by', [
  z.strictObject({ by: z.literal('indicator'), indicator: z.string(), order: z.enum(['asc', 'desc']) }),
  z.strictObject({ by: z.literal('uscc'), order: z.enum(['asc', 'desc']) }),
]);

export const methodologySchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/),
    version: z.string().regex(/^\d+\.\d+\.\d+$/),
    title: z.string().min(1).max(200),
    titleEn: z.string().min(1).max(200).optional(),
    description: z.string().max(2000).default(''),
    /** Where each rule comes from (documents, notes). */
    sources: z.array(z.string().max(300)).max(20).default([]),
    scope: z.strictObject({
      statuses: z.array(z.string().min(1)).min(1),
      /** GB/T 4754-2017 divisions (first two digits of the industry code), inclusive. */
      industryDivisions: z.strictObject({ from: z.number().int().min(1).max(99), to: z.number().int().min(1).max(99) }),
    }),
    exclusions: z.array(exclusionSchema).max(10),
    groups: z.array(groupSchema).min(1).max(2),
    scoring: z.strictObject({
      /** An indicator scores at most cap × weight; null: no cap (Huangyan). */
      cap: z.number().positive().max(100).nullable(),
      /** Score of a zero denominator (no energy, no emissions): the cap, the group's best score, or 0. */
      zeroDenominator: z.enum(['cap', 'groupMax', 'zero']),
    }),
    ranking: z.strictObject({ tieBreaks: z.array(tieBreakSchema).max(5) }),
    classes: z.strictObject({
      labels: z.strictObject({
        A: z.string().min(1),
        B: z.string().min(1),
        C: z.string().min(1),
        D: z.string().min(1),
      }),
      /** A if rank ≤ round(a·n); D if rank > n − round(d·n); B if rank ≤ round(b·n); C otherwise. */
      aShare: share,
      bShare: share,
      dShare: share,
      rounding: z.enum(['halfUp']),
    }),
    veto: z.strictObject({
      /** A vetoed enterprise's class is at best this one. */
      capClass: z.enum(classes),
      rules: z
        .array(
          z.strictObject({
            code,
            label: z.string().min(1),
            input: z.enum(vetoInputs),
            atLeast: z.number().int().min(1),
          }),
        )
        .max(10),
    }),
    policies: z.array(policySchema).max(20),
  })
  .superRefine((config, ctx) => {
    const issue = (path: (string | number)[], message: string) => ctx.addIssue({ code: 'custom', path, message });
    if (config.scope.industryDivisions.from > config.scope.industryDivisions.to) {
      issue(['scope', 'industryDivisions'], 'from must not exceed to');
    }
    const seenGroups = new Set<string>();
    const seenScale = new Set<boolean>();
    config.groups.forEach((group, g) => {
      if (seenGroups.has(group.label)) issue(['groups', g, 'label'], `group ${group.label} defined twice`);
      if (seenScale.has(group.aboveScale)) issue(['groups', g, 'aboveScale'], 'two groups for the same scale');
      seenGroups.add(group.label);
      seenScale.add(group.aboveScale);
      const ids = new Set<string>();
      const used = new Set<string>();
      group.indicators.forEach((indicator, i) => {
        if (ids.has(indicator.id)) issue(['groups', g, 'indicators', i, 'id'], `indicator ${indicator.id} twice`);
        ids.add(indicator.id);
        used.add(indicator.numerator);
        used.add(indicator.denominator);
        if (indicator.numerator === indicator.denominator) {
          issue(['groups', g, 'indicators', i], 'numerator and denominator must differ');
        }
      });
      for (const [input, rule] of Object.entries(group.missing)) {
        if (!used.has(input)) issue(['groups', g, 'missing', input], `${input} is not used by an indicator`);
        if (input === 'land_mu' && rule !== 'incomplete') {
          issue(['groups', g, 'missing', input], 'land is what the evaluation is about: it cannot be missing');
        }
      }
      config.ranking.tieBreaks.forEach((tie, t) => {
        if (tie.by === 'indicator' && !ids.has(tie.indicator)) {
          issue(['ranking', 'tieBreaks', t, 'indicator'], `no indicator ${tie.indicator} in group ${group.label}`);
        }
      });
    });
    const { aShare, bShare, dShare } = config.classes;
    if (aShare > bShare) issue(['classes', 'bShare'], 'bShare is cumulative: it must be at least aShare');
    if (aShare + dShare > 1) issue(['classes', 'dShare'], 'aShare + dShare must not exceed 1');
    if (config.scoring.cap === null && config.scoring.zeroDenominator === 'cap') {
      issue(['scoring', 'zeroDenominator'], 'without a cap a zero denominator cannot score the cap');
    }
    const exclusionCodes = new Set<string>();
    config.exclusions.forEach((exclusion, e) => {
      if (exclusionCodes.has(exclusion.code)) issue(['exclusions', e, 'code'], `code ${exclusion.code} twice`);
      exclusionCodes.add(exclusion.code);
    });
    const policyClasses = new Set<string>();
    config.policies.forEach((policy, p) => {
      if (policy.kind === 'electricitySurcharge') {
        if (policyClasses.has(policy.class)) issue(['policies', p], `two surcharges for class ${policy.class}`);
        policyClasses.add(policy.class);
      }
    });
  });

export type Methodology = z.infer<typeof methodologySchema>;
export type MethodologyInput = z.input<typeof methodologySchema>;
export type GroupConfig = Methodology['groups'][number];
export type IndicatorConfig = GroupConfig['indicators'][number];
export type ExclusionConfig = Methodology['exclusions'][number];
export type PolicyConfig = Methodology['policies'][number];

export interface ConfigIssue {
  path: string;
  message: string;
}

export class MethodologyError extends Error {
  override readonly name = 'MethodologyError';
  constructor(
    message: string,
    readonly issues: ConfigIssue[],
  ) {
    super(message);
  }
}

/** Validates a parsed JSON document as a methodology; throws MethodologyError with every issue found. */
export function parseMethodology(json: unknown): Methodology {
  const result = methodologySchema.safeParse(json);
  if (!result.success) {
    const issues = result.error.issues.map((issue) => ({
      path: issue.path.map(String).join('.'),
      message: issue.message,
    }));
    throw new MethodologyError(`invalid methodology: ${issues.length} issue(s)`, issues);
  }
  return result.data;
}

/** The years before Y whose classes a run needs: consecutive years in a surcharged class. */
export function lookbackYears(config: Methodology): number {
  const longest = Math.max(
    0,
    ...config.policies.map((p) => (p.kind === 'electricitySurcharge' ? p.ratesByConsecutiveYear.length : 0)),
  );
  return Math.max(0, longest - 1);
}

/** The inputs a methodology reads for a year (indicator inputs and land), for the data-gathering step. */
export function inputsUsed(config: Methodology): Set<InputName> {
  const used = new Set<InputName>(['land_mu']);
  for (const group of config.groups) {
    for (const indicator of group.indicators) {
      used.add(indicator.numerator);
      used.add(indicator.denominator);
    }
  }
  if (config.policies.some((p) => p.kind === 'electricitySurcharge')) used.add('kwh');
  return used;
}
