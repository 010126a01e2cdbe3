/**
 * What a consumer may ask about one subject under one agreement in a (China) day: at most `perDay` distinct
 * questions, and for an agreed question whose parameter moves a threshold (an `ageAt` date, a comparison's
 * bound) at most `perThreshold` values — a handful of such answers would find the hidden value by halving.
 * Asking the same question again is free. The node keeps today's questions in memory, checks and claims them
 * with no await in between (concurrent copies cannot both pass) and stores each new one before answering,
 * so a restart (restore) starts from the same count.
 */
import { hasOrderedParameter, type PredicateTemplate } from '../../core/access/predicate-template';

export interface BudgetLimits {
  perDay: number;
  perThreshold: number;
}

/** One question as the budget counts it: the template it answers and a keyed hash of it. */
export interface BudgetedQuestion {
  day: string;
  agreementId: string;
  subjectHash: string;
  templateIndex: number;
  template: PredicateTemplate;
  /** A keyed hash of the question as asked (never the question itself: it may hold a name). */
  questionHash: string;
}

export class VerifyQuestionBudget {
  private today: { day: string; asked: Map<string, Set<string>> } = { day: '', asked: new Map() };

  constructor(private readonly limits: BudgetLimits) {}

  /** Replaces what is in memory by the stored questions of `day` (after a restart). */
  restore(day: string, uses: readonly { agreementId: string; subjectHash: string; questionHash: string }[]): number {
    this.today = { day, asked: new Map() };
    for (const use of uses) this.asked(day, use.agreementId, use.subjectHash).add(use.questionHash);
    return uses.length;
  }

  /**
   * Why the question may not be asked today (a refusal's detail), or undefined; claims it when it may, so
   * the caller must store the returned key durably (`stored`) before answering.
   */
  claim(question: BudgetedQuestion): { refused: string } | { stored: string | undefined } {
    const asked = this.asked(question.day, question.agreementId, question.subjectHash);
    // Prefixed by the template it answers, to count the values asked of each one.
    const prefix = `${question.templateIndex}:`;
    const key = prefix + question.questionHash;
    if (asked.has(key)) return { stored: undefined };
    if (asked.size >= this.limits.perDay) {
      return { refused: `at most ${this.limits.perDay} distinct questions a day about one subject` };
    }
    if (
      hasOrderedParameter(question.template) &&
      [...asked].filter((claimed) => claimed.startsWith(prefix)).length >= this.limits.perThreshold
    ) {
      return {
        refused: `at most ${this.limits.perThreshold} values a day about one subject for a question with a threshold or a date`,
      };
    }
    asked.add(key);
    return { stored: key };
  }

  /** Gives a claim back (the request was refused later, before any answer). */
  release(question: BudgetedQuestion, key: string): void {
    this.asked(question.day, question.agreementId, question.subjectHash).delete(key);
  }

  private asked(day: string, agreementId: string, subjectHash: string): Set<string> {
    if (this.today.day !== day) this.today = { day, asked: new Map() };
    const key = `${agreementId} ${subjectHash}`;
    let asked = this.today.asked.get(key);
    if (!asked) {
      asked = new Set();
      this.today.asked.set(key, asked);
    }
    return asked;
  }
}
