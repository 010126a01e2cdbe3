import { describe, expect, it } from 'vitest';
import type { PredicateTemplate } from '../../core/access/predicate-template';
import { type BudgetedQuestion, VerifyQuestionBudget } from './verify-budget';

const ageOn: PredicateTemplate = { op: 'gte', item: { ageAt: '$asOf', of: 'birth_date' }, value: 60 };
const nameIs: PredicateTemplate = { op: 'eq', item: 'name', value: '$name' };
const ask = (questionHash: string, template = nameIs, over: Partial<BudgetedQuestion> = {}): BudgetedQuestion => ({
  day: '2026-12-05',
  agreementId: 'GX-1',
  subjectHash: 's1',
  templateIndex: template === nameIs ? 1 : 0,
  template,
  questionHash,
  ...over,
});

describe('the verify question budget', () => {
  it('counts distinct questions per subject, agreement and day; the same question again is free', () => {
    const budget = new VerifyQuestionBudget({ perDay: 2, perThreshold: 3 });
    expect(budget.claim(ask('a'))).toEqual({ stored: '1:a' });
    expect(budget.claim(ask('a'))).toEqual({ stored: undefined });
    expect(budget.claim(ask('b'))).toEqual({ stored: '1:b' });
    expect(budget.claim(ask('c'))).toHaveProperty('refused');
    expect(budget.claim(ask('c', nameIs, { subjectHash: 's2' }))).toEqual({ stored: '1:c' });
    expect(budget.claim(ask('c', nameIs, { agreementId: 'GX-2' }))).toEqual({ stored: '1:c' });
    expect(budget.claim(ask('c', nameIs, { day: '2026-12-06' }))).toEqual({ stored: '1:c' });
  });

  it('allows few values of a threshold question, and gives a released claim back', () => {
    const budget = new VerifyQuestionBudget({ perDay: 20, perThreshold: 2 });
    expect(budget.claim(ask('d1', ageOn))).toEqual({ stored: '0:d1' });
    expect(budget.claim(ask('d2', ageOn))).toEqual({ stored: '0:d2' });
    expect(budget.claim(ask('d3', ageOn))).toHaveProperty('refused');
    budget.release(ask('d2', ageOn), '0:d2');
    expect(budget.claim(ask('d3', ageOn))).toEqual({ stored: '0:d3' });
    // Guesses of one value are not threshold questions.
    for (const name of ['n1', 'n2', 'n3']) expect(budget.claim(ask(name))).toHaveProperty('stored');
  });

  it('starts again from what was stored', () => {
    const budget = new VerifyQuestionBudget({ perDay: 20, perThreshold: 2 });
    const uses = ['0:d1', '0:d2'].map((questionHash) => ({ agreementId: 'GX-1', subjectHash: 's1', questionHash }));
    expect(budget.restore('2026-12-05', uses)).toBe(2);
    expect(budget.claim(ask('d3', ageOn))).toHaveProperty('refused');
    expect(budget.claim(ask('d1', ageOn))).toEqual({ stored: undefined });
  });
});
