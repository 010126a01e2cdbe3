/**
 * One enterprise of an evaluation as a reader sees it: each figure with its department and ledger entry,
 * the indicators with their benchmarks, the policies and the objections — a provider department sees only
 * the figures it supplied itself (the rest are marked hidden).
 */
import type { Methodology } from './config';
import { sources, sourceOfInput } from './gather';
import { figures, type FigureName } from './objections';
import { type EnterpriseDetail, type EvaluationSummary, listItem } from './rows';
import type { EnterpriseRow, EvaluationRecord, ExchangeRow, Objection } from '../store/store';

export interface EnterpriseViewInput {
  evaluation: EvaluationRecord;
  row: EnterpriseRow;
  /** The run's exchanges by sequence number. */
  exchanges: ReadonlyMap<number, ExchangeRow>;
  objections: readonly Objection[];
  access: 'owner' | 'auditor' | 'provider';
  /** The reading member (a provider sees its own figures only). */
  viewer: string;
}

export function enterpriseView({ evaluation, row, exchanges, objections, access, viewer }: EnterpriseViewInput) {
  const detail = row.detail as EnterpriseDetail;
  const visible = (provider: string) => access !== 'provider' || provider === viewer;
  const figureRows = (Object.keys(figures) as FigureName[])
    .map((name) => {
      const source = sources[sourceOfInput[name]];
      const seq = detail.refs[source.key];
      const value =
        name === 'major_accidents' || name === 'severe_penalties' ? detail.events[name] : detail.inputs[name];
      if (value === undefined && seq === undefined) return null;
      const exchange = seq === undefined ? undefined : exchanges.get(seq);
      return {
        figure: name,
        ...figures[name],
        value: visible(source.provider) ? (value ?? null) : null,
        hidden: !visible(source.provider),
        provider: source.provider,
        department: source.department,
        computation: source.computation,
        requestId: exchange?.requestId ?? null,
        ledgerIndex: exchange?.ledgerIndex ?? null,
        disputed: objections.some((o) => o.figure === name && o.status === 'open'),
      };
    })
    .filter((f) => f !== null);
  const config = evaluation.config as Methodology;
  const group = config.groups.find((g) => g.label === row.group);
  const summary = evaluation.summary as EvaluationSummary;
  const benchmarks = summary.groups.find((g) => g.label === row.group)?.benchmarks ?? [];
  const indicators = (group?.indicators ?? []).map((indicator, index) => {
    const result = detail.indicators[index];
    const benchmark = benchmarks.find((b) => b.indicator === indicator.id);
    const hidden =
      access === 'provider' &&
      [indicator.numerator, indicator.denominator].some((input) => !visible(sources[sourceOfInput[input]].provider));
    return {
      id: indicator.id,
      name: indicator.name,
      nameEn: indicator.nameEn,
      unit: indicator.unit,
      weight: indicator.weight,
      numerator: indicator.numerator,
      denominator: indicator.denominator,
      value: hidden ? null : (result?.value ?? null),
      benchmark: benchmark?.value ?? null,
      score: hidden ? null : (result?.score ?? null),
      basis: hidden ? null : (result?.basis ?? null),
      hidden,
    };
  });
  const registryExchange = detail.refs.registry === undefined ? undefined : exchanges.get(detail.refs.registry);
  return {
    evaluationId: evaluation.id,
    year: evaluation.year,
    methodology: { id: evaluation.configId, version: evaluation.configVersion },
    ...listItem(row),
    surcharge: access === 'provider' ? null : row.surcharge,
    reasonLabel: detail.reasonLabel,
    missing: detail.missing,
    earliestLandAcquired: visible('ziranziyuan') ? detail.earliestLandAcquired : null,
    indicators,
    figures: figureRows,
    registry: {
      provider: sources.registry.provider,
      department: sources.registry.department,
      requestId: registryExchange?.requestId ?? null,
      ledgerIndex: registryExchange?.ledgerIndex ?? null,
    },
    veto: detail.veto,
    previousClasses: detail.previousClasses,
    policies: access === 'provider' ? [] : detail.policies,
    objections: objections.filter((o) => visible(o.provider)),
  };
}
