/**
 * The rule engine of service items: evaluates an item's checks for one applicant as of a date, asking
 * each fact at most once and only when a check needs it (a rule short-circuits, so a department is not
 * asked what the decision does not depend on). Every check is evaluated and every failure reported,
 * except after a failed `final` check (identity): then nothing more is asked or told, so a stranger who
 * types someone's ID number learns nothing of that person's data.
 *
 * Pure apart from the port: no clock, no I/O. A fact the port cannot answer (provider down) throws, and
 * the caller keeps the application pending rather than deciding on partial data.
 */
import { checkPredicate, evaluatePredicate, type Predicate } from '../../../core/access/predicate';
import {
  applicantItems,
  type FactDefinition,
  type ItemDefinition,
  type RuleExpr,
  resolveTemplate,
  type TemplateVars,
  type TierDefinition,
  tierQuestion,
} from './definition';
import { ageInFullYears } from '../../../core/access/values';

export interface Applicant {
  idNumber: string;
  name: string;
  /** From the ID number (GB 11643): the applicant's own input, not another department's data. */
  birthDate: string;
  gender: '男' | '女';
}

export type FactAnswer = boolean | 'not_found';

export interface PortAnswer {
  answer: FactAnswer;
  /** The exchange's request ID (the audit trail's key), when a department was asked. */
  requestId?: string | undefined;
}

/** How the engine reaches facts: the exchange (verify / compute through the node) and this system's records. */
export interface FactPort {
  verify(resource: string, predicate: Predicate): Promise<PortAnswer>;
  /** A boolean output of a computation for the applicant; a missing subject answers not_found. */
  computeFlag(
    resource: string,
    computation: string,
    params: Record<string, string | number>,
    output: string,
  ): Promise<PortAnswer>;
  /** Whether this system holds a valid certificate of `item` for the applicant. */
  issued(item: string): Promise<boolean>;
}

export interface Reason {
  code: string;
  /** Short name for lists (absent on applications decided before reasons had one). */
  title?: string;
  titleEn?: string | null;
  explanation: string;
  explanationEn: string | null;
}

/** One question asked while evaluating, kept with the application for the audit trail (never shown). */
export interface AskedFact {
  fact: string;
  source: 'exchange' | 'applicant' | 'issued';
  resource: string | null;
  answer: FactAnswer;
  requestId: string | null;
}

export interface BenefitOutcome {
  tier: { id: string; name: string; nameEn: string | null; monthly: number | null };
  supplements: { id: string; name: string; nameEn: string | null; monthly: number }[];
  /** Tier plus supplements, in 元 per month; null for an in-kind tier. */
  monthlyAmount: number | null;
}

export interface Evaluation {
  decision: 'approved' | 'rejected';
  reasons: Reason[];
  benefit: BenefitOutcome | null;
  asked: AskedFact[];
}

export const noTierReason = (def: ItemDefinition): Reason => ({
  code: 'NO_BENEFIT_TIER',
  title: '不在待遇档次内',
  titleEn: 'No benefit tier',
  explanation: `您的年龄不在“${def.name}”的任何待遇档次内。`,
  explanationEn: `Your age is in none of the benefit tiers of ${def.nameEn ?? def.id}.`,
});

/** Adds amounts in 元 exactly (cents). */
export function addYuan(...amounts: number[]): number {
  return amounts.reduce((sum, amount) => sum + Math.round(amount * 100), 0) / 100;
}

export async function evaluateItem(
  def: ItemDefinition,
  applicant: Applicant,
  asOf: string,
  port: FactPort,
): Promise<Evaluation> {
  const vars: TemplateVars = { name: applicant.name, idNumber: applicant.idNumber, asOf };
  const asked: AskedFact[] = [];
  const answers = new Map<string, FactAnswer>();
  const ownRow = {
    id_number: applicant.idNumber,
    name: applicant.name,
    birth_date: applicant.birthDate,
    gender: applicant.gender,
  };

  const askApplicant = (predicate: unknown): boolean => {
    const checked = checkPredicate(resolveTemplate(predicate, vars), {
      items: applicantItems,
      allowed: applicantItems.map((item) => item.name),
    });
    return evaluatePredicate(checked, ownRow) === true;
  };

  const ask = async (id: string, fact: FactDefinition): Promise<FactAnswer> => {
    switch (fact.source) {
      case 'applicant': {
        const answer = askApplicant(fact.predicate);
        asked.push({ fact: id, source: 'applicant', resource: null, answer, requestId: null });
        return answer;
      }
      case 'issued': {
        const answer = await port.issued(fact.item);
        asked.push({ fact: id, source: 'issued', resource: null, answer, requestId: null });
        return answer;
      }
      case 'exchange': {
        const result =
          fact.mode === 'verify'
            ? await port.verify(fact.resource, resolveTemplate(fact.predicate, vars) as unknown as Predicate)
            : await port.computeFlag(fact.resource, fact.computation, resolveTemplate(fact.params, vars), fact.output);
        asked.push({
          fact: id,
          source: 'exchange',
          resource: fact.resource,
          answer: result.answer,
          requestId: result.requestId ?? null,
        });
        return result.answer;
      }
    }
  };

  const factAnswer = async (id: string): Promise<FactAnswer> => {
    const known = answers.get(id);
    if (known !== undefined) return known;
    const answer = await ask(id, def.facts[id]!);
    answers.set(id, answer);
    return answer;
  };

  const holds = async (expr: RuleExpr): Promise<boolean> => {
    if ('fact' in expr) return (await factAnswer(expr.fact)) === (expr.is ?? true);
    if ('all' in expr) {
      for (const inner of expr.all) if (!(await holds(inner))) return false;
      return true;
    }
    if ('any' in expr) {
      for (const inner of expr.any) if (await holds(inner)) return true;
      return false;
    }
    return !(await holds(expr.not));
  };

  const reasons: Reason[] = [];
  for (const check of def.checks) {
    const passed = check.pass ? await holds(check.pass) : !(await holds(check.fail!));
    if (passed) continue;
    reasons.push(reasonOf(check));
    if (check.final) break;
  }

  let benefit: BenefitOutcome | null = null;
  if (reasons.length === 0 && def.benefit) {
    const tier = await findTier(def, applicant, asOf, port, asked);
    if (!tier) reasons.push(noTierReason(def));
    else {
      const supplements: BenefitOutcome['supplements'] = [];
      for (const supplement of def.benefit.supplements) {
        const result = await port.verify(
          supplement.verify.resource,
          resolveTemplate(supplement.verify.predicate, vars) as unknown as Predicate,
        );
        asked.push({
          fact: `supplement:${supplement.id}`,
          source: 'exchange',
          resource: supplement.verify.resource,
          answer: result.answer,
          requestId: result.requestId ?? null,
        });
        if (result.answer === true) {
          supplements.push({
            id: supplement.id,
            name: supplement.name,
            nameEn: supplement.nameEn ?? null,
            monthly: supplement.monthly,
          });
        }
      }
      benefit = {
        tier: { id: tier.id, name: tier.name, nameEn: tier.nameEn ?? null, monthly: tier.monthly ?? null },
        supplements,
        monthlyAmount:
          tier.monthly === undefined ? null : addYuan(tier.monthly, ...supplements.map((item) => item.monthly)),
      };
    }
  }
  return { decision: reasons.length === 0 ? 'approved' : 'rejected', reasons, benefit, asked };
}

/**
 * The applicant's tier, asked from the highest down as yes/no questions "aged minAge–maxAge at asOf" on the
 * registered birth date; without a registered row, the ID number's birth date decides when allowed.
 */
async function findTier(
  def: ItemDefinition,
  applicant: Applicant,
  asOf: string,
  port: FactPort,
  asked: AskedFact[],
): Promise<TierDefinition | undefined> {
  const source = def.benefit!.ageSource;
  const tiers = [...def.benefit!.tiers].sort((a, b) => b.minAge - a.minAge);
  for (const tier of tiers) {
    const predicate = tierQuestion(tier, source.item, asOf);
    const result = await port.verify(source.resource, predicate);
    asked.push({
      fact: `tier:${tier.id}`,
      source: 'exchange',
      resource: source.resource,
      answer: result.answer,
      requestId: result.requestId ?? null,
    });
    if (result.answer === true) return tier;
    if (result.answer === 'not_found') {
      if (!source.fallbackToIdNumber) return undefined;
      const own = ageInFullYears(applicant.birthDate, asOf);
      return own === null
        ? undefined
        : def.benefit!.tiers.find((t) => own >= t.minAge && (t.maxAge === undefined || own <= t.maxAge));
    }
  }
  return undefined;
}

/** The reason a failed check gives: its code for systems, its title and explanation for people. */
export function reasonOf(check: ItemDefinition['checks'][number]): Reason {
  return {
    code: check.code,
    title: check.title,
    titleEn: check.titleEn ?? null,
    explanation: check.explanation,
    explanationEn: check.explanationEn ?? null,
  };
}
