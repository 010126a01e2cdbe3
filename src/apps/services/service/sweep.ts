/**
 * 免申即享 sweeps: everyone eligible for a benefit item in a month, found without applications. One roster
 * computation gives the population with their registered birth dates (ages counted on the month's last
 * day), one batched computation per supplement gives the supplements: calls by the thousand, not one per
 * resident. Each run is stored (figures only) for the counter's list of sweeps.
 */
import { randomBytes } from 'node:crypto';
import { ExchangeError } from '../../../client/exchange-client';
import { ageInFullYears, isIsoDate } from '../../../core/access/values';
import type { Principal } from '../../../core/auth/principal';
import { monthEnd, previousMonth } from '../../../core/calendar/dates';
import { type ItemDefinition, minTierAge, resolveTemplate, tierForAge } from './definition';
import { addYuan } from './engine';
import { ServiceError } from './errors';
import type { ExchangeFacts } from './exchange-facts';
import type { ServicesLogger } from './service';
import type { ServicesStore } from '../store/store';

export interface SweepDeps {
  store: ServicesStore;
  /** The exchange with the long timeouts of whole-population calls. */
  exchange: ExchangeFacts;
  logger: ServicesLogger;
  now(): string;
}

export interface SweepEntry {
  idNumber: string;
  age: number;
  tier: string;
  tierMonthly: number;
  supplements: string[];
  amount: number;
}

export interface SweepResult {
  id: string;
  item: string;
  month: string;
  /** The date ages are counted at: the last day of the month. */
  asOf: string;
  runAt: string;
  eligibleCount: number;
  totalAmount: number;
  byTier: { tier: string; name: string; count: number; amount: number }[];
  eligible: SweepEntry[];
  /** Eligible this month and not in the month before (ID numbers, sorted). */
  newlyEligible: string[];
  /** The exchange requests that supplied the sweep (the audit trail's keys). */
  requestIds: string[];
  durationMs: number;
}

/** One stored sweep as the list of sweeps shows it (without the eligible people). */
export interface SweepRunView {
  id: string;
  item: string;
  month: string;
  asOf: string;
  runAt: string;
  officer: string | null;
  eligibleCount: number;
  newlyEligibleCount: number;
  totalAmount: number;
  byTier: SweepResult['byTier'];
  durationMs: number;
}

/** Runs one sweep of `def` for `month` on behalf of counter staff, and stores its figures. */
export async function runSweep(
  deps: SweepDeps,
  def: ItemDefinition,
  month: string,
  staff: Principal,
): Promise<SweepResult> {
  if (!def.sweep || !def.benefit) throw new ServiceError('NO_SWEEP');
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) {
    throw new ServiceError('INVALID_MONTH', 'month must be YYYY-MM', [{ path: 'month', message: 'YYYY-MM' }]);
  }
  const started = performance.now();
  const asOf = monthEnd(month);
  const previousEnd = monthEnd(previousMonth(month));
  const threshold = minTierAge(def);
  const session = deps.exchange.session(def.purpose, {
    caseId: `SWEEP-${def.id}-${month}`.slice(0, 64),
    officer: (staff.username ?? staff.memberCode).slice(0, 64),
  });
  const population = def.sweep.population;
  const requestIds: string[] = [];
  let entries: SweepEntry[];
  const newly: string[] = [];
  try {
    const roster = await session.roster(
      population.resource,
      population.computation,
      resolveTemplate(population.params, { monthEnd: asOf, asOf, minTierAge: threshold }),
    );
    requestIds.push(roster.requestId);
    const people: { idNumber: string; age: number; tierId: string; tierMonthly: number; tierName: string }[] = [];
    for (const result of roster.results) {
      const birth = result.values[population.birthDateOutput];
      if (typeof birth !== 'string' || !isIsoDate(birth)) continue;
      const age = ageInFullYears(birth, asOf);
      const tier = age === null ? undefined : tierForAge(def, age);
      if (!tier || age === null) continue;
      people.push({
        idNumber: result.subject,
        age,
        tierId: tier.id,
        tierMonthly: tier.monthly ?? 0,
        tierName: tier.name,
      });
      const before = ageInFullYears(birth, previousEnd);
      if (before === null || !tierForAge(def, before)) newly.push(result.subject);
    }
    const supplementsOf = new Map<string, string[]>();
    const subjects = people.map((person) => person.idNumber);
    for (const supplement of def.benefit.supplements) {
      if (subjects.length === 0) break;
      const batch = await session.compute(
        supplement.batch.resource,
        supplement.batch.computation,
        resolveTemplate(supplement.batch.params, { monthEnd: asOf, asOf, minTierAge: threshold }),
        subjects,
      );
      requestIds.push(...batch.requestIds);
      for (const result of batch.results) {
        if (result.values[supplement.batch.output] !== true) continue;
        supplementsOf.set(result.subject, [...(supplementsOf.get(result.subject) ?? []), supplement.id]);
      }
    }
    const monthlyOf = new Map(def.benefit.supplements.map((supplement) => [supplement.id, supplement.monthly]));
    entries = people.map((person) => {
      const supplements = supplementsOf.get(person.idNumber) ?? [];
      return {
        idNumber: person.idNumber,
        age: person.age,
        tier: person.tierId,
        tierMonthly: person.tierMonthly,
        supplements,
        amount: addYuan(person.tierMonthly, ...supplements.map((id) => monthlyOf.get(id) ?? 0)),
      };
    });
  } catch (error) {
    if (error instanceof ExchangeError) {
      deps.logger.warn({ item: def.id, month, code: error.code }, 'sweep could not reach a department');
      throw new ServiceError('CHECKS_UNAVAILABLE', `部门数据暂不可用（${error.code}），请稍后重新筛查`);
    }
    throw error;
  }
  entries.sort((a, b) => (a.idNumber < b.idNumber ? -1 : a.idNumber > b.idNumber ? 1 : 0));
  newly.sort();
  const byTier = def.benefit.tiers.map((tier) => {
    const members = entries.filter((entry) => entry.tier === tier.id);
    return {
      tier: tier.id,
      name: tier.name,
      count: members.length,
      amount: addYuan(...members.map((entry) => entry.amount)),
    };
  });
  const totalAmount = addYuan(...entries.map((entry) => entry.amount));
  const durationMs = Math.round(performance.now() - started);
  const id = `SW-${month.replace('-', '')}-${randomBytes(4).toString('hex').toUpperCase()}`;
  const runAt = deps.now();
  await deps.store.insertSweep({
    id,
    item_id: def.id,
    month,
    as_of: asOf,
    run_at: runAt,
    officer: staff.username ?? staff.memberCode,
    eligible_count: entries.length,
    newly_count: newly.length,
    total_cents: Math.round(totalAmount * 100),
    by_tier_json: JSON.stringify(byTier),
    duration_ms: durationMs,
  });
  deps.logger.info(
    { item: def.id, month, eligible: entries.length, newly: newly.length, durationMs },
    'benefit sweep done',
  );
  return {
    id,
    item: def.id,
    month,
    asOf,
    runAt,
    eligibleCount: entries.length,
    totalAmount,
    byTier,
    eligible: entries,
    newlyEligible: newly,
    requestIds,
    durationMs,
  };
}

/** The stored sweeps, newest first (figures only, without the eligible people). */
export async function listSweeps(store: ServicesStore, itemId?: string): Promise<SweepRunView[]> {
  const rows = await store.listSweeps(itemId);
  return rows.map((row) => ({
    id: row.id,
    item: row.item_id,
    month: row.month,
    asOf: row.as_of,
    runAt: row.run_at,
    officer: row.officer,
    eligibleCount: Number(row.eligible_count),
    newlyEligibleCount: Number(row.newly_count),
    totalAmount: Number(row.total_cents) / 100,
    byTier: JSON.parse(row.by_tier_json) as SweepResult['byTier'],
    durationMs: Number(row.duration_ms),
  }));
}
