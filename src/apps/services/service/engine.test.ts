/**
 * The engine on the shipped item definitions, one hand-worked case per rule branch (RULES.md §7), with
 * a fake exchange that answers verify questions from rows the test writes, the way a provider node does.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkPredicate, type Predicate, verifyRows } from '../../../core/access/predicate';
import type { Row } from '../../../core/access/values';
import type { DataItem } from '../../../core/catalog/resource';
import { makeIdNumber, validateIdNumber } from '../../../core/ids/id-number';
import { getResource, type ResourceCode } from '../../../datasets/schema';
import type { Applicant, FactPort } from './engine';
import { evaluateItem } from './engine';
import { verifyQuestions } from './definition';
import { matchesTemplate } from '../../../core/access/predicate-template';
import { loadItemCatalog } from './loader';

const catalog = loadItemCatalog(join(import.meta.dirname, '../../../../services/items'));
// What 政务服务办's agreements name (the demo seeds them from this): a provider's node answers nothing else.
const agreedQuestions = catalog.list().flatMap(verifyQuestions);
const T = '2026-06-30';

function items(code: string): DataItem[] {
  return getResource(code as ResourceCode).columns.map((column) => ({
    name: column.name,
    title: column.title,
    type: column.type,
    description: '',
    sensitivity: 2,
    subjectKey: column.subjectKey,
    ...(column.values ? { values: [...column.values] } : {}),
  }));
}

/** A city of a few rows; verify answers like a provider node (any single row satisfying the predicate). */
class FakeCity implements FactPort {
  readonly rows = new Map<string, Row[]>();
  readonly issuedItems = new Set<string>();
  readonly calls: { resource: string; predicate: Predicate }[] = [];
  subject = '';
  down = new Set<string>();

  add(resource: string, row: Row): this {
    this.rows.set(resource, [...(this.rows.get(resource) ?? []), row]);
    return this;
  }

  async verify(resource: string, predicate: Predicate) {
    if (this.down.has(resource)) throw Object.assign(new Error('provider down'), { transient: true });
    this.calls.push({ resource, predicate });
    // Like the provider's node: a question the agreement does not name is refused (PREDICATE_NOT_AGREED).
    if (!agreedQuestions.some((q) => q.resource === resource && matchesTemplate(predicate, q.predicate))) {
      throw new Error(`not an agreed question on ${resource}: ${JSON.stringify(predicate)}`);
    }
    const checked = checkPredicate(predicate, { items: items(resource), allowed: items(resource).map((i) => i.name) });
    const rows = (this.rows.get(resource) ?? []).filter((row) => row.id_number === this.subject);
    return { answer: verifyRows(checked, rows), requestId: `req-${this.calls.length}` };
  }

  async computeFlag(): Promise<never> {
    throw new Error('not used by the shipped items at application time');
  }

  async issued(item: string) {
    return this.issuedItems.has(`${item}:${this.subject}`);
  }
}

function person(birth: string, name = '王秀英', male = false, area = '330102'): Applicant {
  const idNumber = makeIdNumber(area, birth, male ? 101 : 100);
  const parsed = validateIdNumber(idNumber);
  if (!parsed.ok) throw new Error('bad test id');
  return { idNumber, name, birthDate: parsed.birthDate, gender: parsed.gender };
}

function household(applicant: Applicant, fields: Partial<Record<string, string>> = {}): Row {
  return {
    id_number: applicant.idNumber,
    name: applicant.name,
    gender: applicant.gender,
    birth_date: applicant.birthDate,
    district_code: '330102',
    address: '清河市上城区某街1号',
    status: '正常',
    deregistration_reason: null,
    deregistration_date: null,
    ...fields,
  };
}

function permit(applicant: Applicant, issue: string, expiry: string): Row {
  return {
    id_number: applicant.idNumber,
    name: applicant.name,
    district_code: '330102',
    issue_date: issue,
    expiry_date: expiry,
  };
}

async function decide(itemId: string, city: FakeCity, applicant: Applicant, asOf = T) {
  city.subject = applicant.idNumber;
  const result = await evaluateItem(catalog.get(itemId), applicant, asOf, city);
  return { ...result, codes: result.reasons.map((reason) => reason.code) };
}

describe('elderly card (老年人优待证), as of 2026-06-30', () => {
  it('approves a registered resident of 70 without a card, asking only yes/no questions', async () => {
    const a = person('1956-03-02');
    const city = new FakeCity().add('gongan.household', household(a));
    const result = await decide('elderly-card', city, a);
    expect(result).toMatchObject({ decision: 'approved', codes: [] });
    // Identity, residence, death, age at 公安; the card at 民政; nothing else.
    expect(city.calls.map((call) => call.resource)).toEqual([
      'gongan.household',
      'gongan.household',
      'gongan.household',
      'gongan.household',
      'minzheng.elderly_card',
    ]);
  });

  it('reports an unknown person as NOT_FOUND and asks nothing more', async () => {
    const a = person('1950-01-01');
    const city = new FakeCity();
    const result = await decide('elderly-card', city, a);
    expect(result.codes).toEqual(['NOT_FOUND']);
    expect(city.calls).toHaveLength(2);
  });

  it('stops at IDENTITY_MISMATCH without asking anything about the person', async () => {
    const a = person('1950-01-01');
    const city = new FakeCity().add(
      'gongan.household',
      household(a, { status: '注销', deregistration_reason: '死亡' }),
    );
    const result = await decide('elderly-card', city, { ...a, name: '李四' });
    expect(result.codes).toEqual(['IDENTITY_MISMATCH']);
    expect(city.calls).toHaveLength(1);
    expect(result.asked.map((fact) => fact.fact)).toEqual(['household_name']);
  });

  it('refuses a resident who moved away (迁出) as NOT_RESIDENT', async () => {
    const a = person('1950-01-01');
    const city = new FakeCity().add(
      'gongan.household',
      household(a, { status: '注销', deregistration_reason: '迁出' }),
    );
    expect((await decide('elderly-card', city, a)).codes).toEqual(['NOT_RESIDENT']);
  });

  it('reports every failed check of a deceased person, and DECEASED alone when a stale permit passes residence', async () => {
    const a = person('1950-01-01');
    const dead = household(a, { status: '注销', deregistration_reason: '死亡', deregistration_date: '2024-01-01' });
    expect((await decide('elderly-card', new FakeCity().add('gongan.household', dead), a)).codes).toEqual([
      'NOT_RESIDENT',
      'DECEASED',
    ]);
    const young = person('1990-05-05');
    const deadYoung = household(young, { status: '注销', deregistration_reason: '死亡' });
    expect((await decide('elderly-card', new FakeCity().add('gongan.household', deadYoung), young)).codes).toEqual([
      'NOT_RESIDENT',
      'DECEASED',
      'AGE_UNDER_60',
    ]);
    const city = new FakeCity()
      .add('gongan.household', dead)
      .add('gongan.residence_permit', permit(a, '2025-01-01', '2028-01-01'));
    expect((await decide('elderly-card', city, a)).codes).toEqual(['DECEASED']);
  });

  it('counts the age on the birthday itself: 60 on the day is approved, one day short is AGE_UNDER_60', async () => {
    const onTheDay = person('1966-06-30');
    const oneDayShort = person('1966-07-01');
    const city = new FakeCity()
      .add('gongan.household', household(onTheDay))
      .add('gongan.household', household(oneDayShort));
    expect((await decide('elderly-card', city, onTheDay)).codes).toEqual([]);
    expect((await decide('elderly-card', city, oneDayShort)).codes).toEqual(['AGE_UNDER_60']);
  });

  it('takes a residence permit valid at T and issued exactly six months before, not one day later', async () => {
    const exactly = person('1955-02-02', '陈建国', true, '420102');
    const dayLate = person('1955-02-03', '陈建华', true, '420102');
    const city = new FakeCity()
      .add('gongan.residence_permit', permit(exactly, '2025-12-30', '2026-12-30'))
      .add('gongan.residence_permit', permit(dayLate, '2025-12-31', '2026-12-31'));
    expect((await decide('elderly-card', city, exactly)).codes).toEqual([]);
    expect((await decide('elderly-card', city, dayLate)).codes).toEqual(['NOT_RESIDENT']);
  });

  it('judges each permit on its own: an expired old one and a recent one do not add up', async () => {
    const a = person('1955-02-02', '陈建国', true, '420102');
    const city = new FakeCity()
      .add('gongan.residence_permit', permit(a, '2024-03-01', '2025-03-01'))
      .add('gongan.residence_permit', permit(a, '2026-03-01', '2027-03-01'));
    expect((await decide('elderly-card', city, a)).codes).toEqual(['NOT_RESIDENT']);
    const expiredYesterday = person('1950-04-04', '刘芳', false, '420102');
    city.add('gongan.residence_permit', permit(expiredYesterday, '2025-06-29', '2026-06-29'));
    expect((await decide('elderly-card', city, expiredYesterday)).codes).toEqual(['NOT_RESIDENT']);
  });

  it('takes the age of a permit holder from the birth date in the ID number', async () => {
    const young = person('1970-01-01', '赵敏', false, '420102');
    const city = new FakeCity().add('gongan.residence_permit', permit(young, '2020-01-01', '2027-01-01'));
    expect((await decide('elderly-card', city, young)).codes).toEqual(['AGE_UNDER_60']);
  });

  it('refuses ALREADY_HOLDS_CARD for a valid civil-affairs card or one this system issued, not a cancelled card', async () => {
    const a = person('1950-01-01');
    const card = (status: string): Row => ({
      id_number: a.idNumber,
      card_no: 'QHYD1',
      issue_date: '2015-01-01',
      status,
    });
    const holds = new FakeCity().add('gongan.household', household(a)).add('minzheng.elderly_card', card('有效'));
    expect((await decide('elderly-card', holds, a)).codes).toEqual(['ALREADY_HOLDS_CARD']);
    const cancelled = new FakeCity().add('gongan.household', household(a)).add('minzheng.elderly_card', card('注销'));
    expect((await decide('elderly-card', cancelled, a)).codes).toEqual([]);
    cancelled.issuedItems.add(`elderly-card:${a.idNumber}`);
    expect((await decide('elderly-card', cancelled, a)).codes).toEqual(['ALREADY_HOLDS_CARD']);
  });

  it('reports residence and age together for a young non-resident', async () => {
    const a = person('1990-01-01');
    const city = new FakeCity().add(
      'gongan.household',
      household(a, { status: '注销', deregistration_reason: '迁出' }),
    );
    expect((await decide('elderly-card', city, a)).codes).toEqual(['NOT_RESIDENT', 'AGE_UNDER_60']);
  });

  it('throws, deciding nothing, when a department cannot answer', async () => {
    const a = person('1950-01-01');
    const city = new FakeCity().add('gongan.household', household(a));
    city.down.add('minzheng.elderly_card');
    await expect(decide('elderly-card', city, a)).rejects.toThrow('provider down');
  });
});

describe('longevity allowance (高龄津贴)', () => {
  const pension = (a: Applicant, type: string, status: string): Row => ({
    id_number: a.idNumber,
    pension_type: type,
    status,
    start_date: '2011-07-01',
  });

  it('pays the tier plus the 城乡居民 supplement', async () => {
    const a = person('1941-01-01');
    const city = new FakeCity()
      .add('gongan.household', household(a))
      .add('renshe.pension', pension(a, '城乡居民', '领取中'));
    const result = await decide('longevity-allowance', city, a);
    expect(result.decision).toBe('approved');
    expect(result.benefit).toMatchObject({ tier: { id: '80-89', monthly: 60 }, monthlyAmount: 110 });
  });

  it('has tiers 90–99 (100 元) and 100+ (800 元); urban pensions and suspended ones add nothing', async () => {
    const ninety = person('1936-06-30');
    const hundred = person('1926-06-30');
    const city = new FakeCity()
      .add('gongan.household', household(ninety))
      .add('gongan.household', household(hundred))
      .add('renshe.pension', pension(ninety, '城镇职工', '领取中'))
      .add('renshe.pension', pension(hundred, '城乡居民', '暂停'));
    expect((await decide('longevity-allowance', city, ninety)).benefit).toMatchObject({
      tier: { id: '90-99' },
      supplements: [],
      monthlyAmount: 100,
    });
    expect((await decide('longevity-allowance', city, hundred)).benefit).toMatchObject({
      tier: { id: '100+' },
      monthlyAmount: 800,
    });
  });

  it('needs a household registration and 80 full years', async () => {
    const migrant = person('1940-01-01', '周强', true, '420102');
    const seventyNine = person('1946-07-01');
    const city = new FakeCity()
      .add('gongan.residence_permit', permit(migrant, '2020-01-01', '2027-01-01'))
      .add('gongan.household', household(seventyNine));
    expect((await decide('longevity-allowance', city, migrant)).codes).toEqual(['NOT_RESIDENT']);
    expect((await decide('longevity-allowance', city, seventyNine)).codes).toEqual(['AGE_UNDER_80']);
  });
});

describe('senior bus pass (data only)', () => {
  it('gives half fare at 65 and free rides to a 72-year-old permit holder (age from the ID number)', async () => {
    const local = person('1961-01-01');
    const migrant = person('1954-01-01', '周强', true, '420102');
    const city = new FakeCity()
      .add('gongan.household', household(local))
      .add('gongan.residence_permit', permit(migrant, '2020-01-01', '2027-01-01'));
    expect((await decide('senior-bus-pass', city, local)).benefit?.tier.id).toBe('half-fare');
    expect((await decide('senior-bus-pass', city, migrant)).benefit?.tier.id).toBe('free');
    city.issuedItems.add(`senior-bus-pass:${local.idNumber}`);
    expect((await decide('senior-bus-pass', city, local)).codes).toEqual(['ALREADY_HOLDS_PASS']);
  });
});
