/**
 * The synthetic city's people: registered residents (户籍) with their IDs, cards and pensions, and
 * migrants with residence permits; and the ID allocator shared with the enterprises' representatives.
 * Deterministic from the seed.
 */
import { makeIdNumber } from '../core/ids/id-number';
import {
  CITY_NAME,
  DISTRICTS,
  FEMALE_GIVEN,
  MALE_GIVEN,
  MIGRANT_AREAS,
  REFERENCE_DATE,
  STREETS,
  SURNAMES,
} from './city-data';
import { addMonths } from '../core/calendar/dates';
import { addYears, daysFromIso, isoFromDays } from './dates';
import { type Rng, cumulative, weightedIndex } from './prng';
import { FIRM_CUM } from './generate-enterprises';
import type { RowSink } from './generator';

export const T = REFERENCE_DATE;

const T_DAYS = daysFromIso(T);

const SIX_MONTHS_BEFORE_T = addMonths(T, -6);

export const dec2 = (x: number) => (Math.round(x * 100) / 100).toFixed(2);

// Per-year-of-age weights for people alive at T: about a fifth aged 60+, a thin tail to 105.
const AGE_WEIGHTS: number[] = Array.from({ length: 106 }, (_, a) => {
  if (a < 15) return 1.0;
  if (a < 25) return 1.1;
  if (a < 60) return 1.45;
  if (a < 70) return 1.1;
  if (a < 80) return 0.6;
  if (a < 90) return 0.25;
  if (a < 100) return 0.06;
  return 0.03;
});

const AGE_CUM = cumulative(AGE_WEIGHTS);

const POP_CUM = cumulative(DISTRICTS.map((d) => d.popWeight));

const SURNAME_CUM = cumulative([...SURNAMES].map((_, i) => 1 / (i + 8)));

/** Hands out unique 3-digit sequences per (area, birth date) with the parity the gender needs. */
export class IdAllocator {
  private readonly next = new Map<string, number>();
  issue(area: string, birth: string, male: boolean): string {
    const key = `${area}${birth}${male ? 1 : 0}`;
    const k = this.next.get(key) ?? 0;
    this.next.set(key, k + 1);
    // Start each (area, date) at a key-derived offset so sequences look spread out, not all "100"/"101".
    let h = 0;
    for (let i = 0; i < key.length; i++) h = (Math.imul(h, 31) + key.charCodeAt(i)) | 0;
    const seq = (((h >>> 0) % 450) * 2 + k * 2 + (male ? 1 : 0)) % 1000;
    return makeIdNumber(area, birth, seq);
  }
}

export function chineseName(rng: Rng, male: boolean): string {
  const surname = SURNAMES[weightedIndex(rng, SURNAME_CUM)] as string;
  const pool = male ? MALE_GIVEN : FEMALE_GIVEN;
  const first = pool[rng.int(pool.length)] as string;
  return rng.chance(0.72) ? surname + first + (pool[rng.int(pool.length)] as string) : surname + first;
}

export function dayBetween(rng: Rng, lo: string, hi: string): string {
  const a = daysFromIso(lo);
  const b = daysFromIso(hi);
  return b <= a ? lo : isoFromDays(a + rng.int(b - a + 1));
}

export const maxIso = (a: string, b: string) => (a > b ? a : b);

/** Birth date of someone who is `age` full years old at T. */
function birthForAge(rng: Rng, age: number): string {
  const hi = daysFromIso(addYears(T, -age));
  const lo = daysFromIso(addYears(T, -(age + 1))) + 1;
  return isoFromDays(lo + rng.int(hi - lo + 1));
}

function cardNo(cards: { n: number }, issue: string): string {
  cards.n++;
  return `QHYD${issue.slice(0, 4)}${String(cards.n).padStart(7, '0')}`;
}

export function generateResidents(
  rng: Rng,
  count: number,
  ids: IdAllocator,
  cards: { n: number },
  sink: RowSink,
): void {
  let deaths = 0;
  for (let i = 0; i < count; i++) {
    let age = weightedIndex(rng, AGE_CUM);
    let birth: string;
    if (rng.chance(0.004)) {
      // Birthday boundaries of the age rules (60; allowance tiers 80/90/100): on the day, and one day short.
      const b = rng.pick([60, 80, 90, 100]);
      const exact = addYears(T, -b);
      birth = rng.chance(0.5) ? exact : isoFromDays(daysFromIso(exact) + 1);
      age = birth === exact ? b : b - 1;
    } else {
      birth = birthForAge(rng, age);
    }
    const male = !rng.chance(age >= 80 ? 0.58 : 0.5);
    const district = DISTRICTS[weightedIndex(rng, POP_CUM)] as (typeof DISTRICTS)[number];
    const id = ids.issue(district.code, birth, male);
    const name = chineseName(rng, male);
    const address = `${CITY_NAME}${district.name}${rng.pick(STREETS)}${rng.range(1, 399)}号${
      rng.chance(0.7) ? `${rng.range(1, 30)}幢${rng.range(1, 24)}0${rng.range(1, 4)}室` : ''
    }`;

    const deathP = age >= 90 ? 0.25 : age >= 80 ? 0.12 : age >= 60 ? 0.04 : 0.004;
    const u = rng.next();
    let status = '正常';
    let reason = '';
    let deregDate = '';
    if (u < deathP) {
      status = '注销';
      reason = '死亡';
      deregDate = dayBetween(rng, maxIso(birth, '2016-01-01'), T);
    } else if (u < deathP + 0.02) {
      status = '注销';
      reason = '迁出';
      deregDate = dayBetween(rng, maxIso(addYears(birth, 1), '2018-01-01'), T);
    } else if (u < deathP + 0.023) {
      status = '注销';
      reason = '其他';
      deregDate = dayBetween(rng, maxIso(birth, '2018-01-01'), T);
    }
    sink('gongan.household', [id, name, male ? '男' : '女', birth, district.code, address, status, reason, deregDate]);

    if (reason === '死亡') {
      deaths++;
      // Data-quality fault: the residence-permit registry was not told of the death, so a still-valid permit
      // lets the residence check pass and the elderly-card rule reaches DECEASED whatever its check order.
      if (deaths % 25 === 1) {
        const issue = dayBetween(rng, addYears(T, -2), SIX_MONTHS_BEFORE_T);
        sink('gongan.residence_permit', [id, name, rng.pick(DISTRICTS).code, issue, addYears(issue, 3)]);
      }
    }

    const endDate = deregDate || T;
    // Pensions: 60+ mostly; some women retire from urban employment at 55.
    const earlyRetiree = !male && age >= 55 && age < 60 && rng.chance(0.3);
    if ((age >= 60 && rng.chance(0.92)) || earlyRetiree) {
      const rural = !earlyRetiree && rng.chance(age >= 75 ? 0.5 : 0.35);
      const start = rural ? maxIso(addYears(birth, 60), '2011-07-01') : addYears(birth, male ? 60 : 55);
      if (start <= endDate) {
        const pStatus = reason === '' ? (rng.chance(0.03) ? '暂停' : '领取中') : reason === '死亡' ? '终止' : '暂停';
        sink('renshe.pension', [id, rural ? '城乡居民' : '城镇职工', pStatus, start]);
      }
    }

    if (age >= 60) {
      const cardP = reason === '' ? 0.55 : 0.45;
      const lo = maxIso(addYears(birth, 60), '2012-01-01');
      if (rng.chance(cardP) && lo <= endDate) {
        const issue = dayBetween(rng, lo, endDate);
        if (reason !== '') {
          sink('minzheng.elderly_card', [id, cardNo(cards, issue), issue, '注销']);
        } else if (rng.chance(0.05) && issue > lo) {
          // A lost card cancelled and re-issued: the holder still holds a valid one.
          const earlier = dayBetween(rng, lo, isoFromDays(daysFromIso(issue) - 1));
          sink('minzheng.elderly_card', [id, cardNo(cards, earlier), earlier, '注销']);
          sink('minzheng.elderly_card', [id, cardNo(cards, issue), issue, '有效']);
        } else {
          // A few cards cancelled without re-issue: their holders may apply again.
          sink('minzheng.elderly_card', [id, cardNo(cards, issue), issue, rng.chance(0.04) ? '注销' : '有效']);
        }
      }
    }
  }
}

export function generateMigrants(rng: Rng, count: number, ids: IdAllocator, cards: { n: number }, sink: RowSink): void {
  for (let i = 0; i < count; i++) {
    const u = rng.next();
    const age = u < 0.03 ? rng.range(1, 17) : u < 0.11 ? rng.range(60, 85) : rng.range(18, 59);
    const birth = birthForAge(rng, age);
    const male = rng.chance(0.53);
    const id = ids.issue(rng.pick(MIGRANT_AREAS), birth, male);
    const name = chineseName(rng, male);
    const district = DISTRICTS[weightedIndex(rng, FIRM_CUM)] as (typeof DISTRICTS)[number];

    const kind = rng.next();
    let issue: string;
    let expiry: string;
    if (kind < 0.02) {
      // Exactly on the 6-month boundary, and one day short of it.
      issue = rng.chance(0.5) ? SIX_MONTHS_BEFORE_T : isoFromDays(daysFromIso(SIX_MONTHS_BEFORE_T) + 1);
      expiry = addYears(issue, 1);
    } else if (kind < 0.17) {
      issue = isoFromDays(daysFromIso(SIX_MONTHS_BEFORE_T) + 1 + rng.int(T_DAYS - daysFromIso(SIX_MONTHS_BEFORE_T)));
      expiry = addYears(issue, 1);
    } else if (kind < 0.32) {
      expiry = dayBetween(rng, addYears(T, -2), isoFromDays(T_DAYS - 1));
      issue = addYears(expiry, -1);
    } else {
      const validity = rng.chance(0.6) ? 1 : 3;
      issue = dayBetween(rng, isoFromDays(daysFromIso(addYears(T, -validity)) + 1), SIX_MONTHS_BEFORE_T);
      expiry = addYears(issue, validity);
    }
    if (kind >= 0.17 && rng.chance(0.25)) {
      const prevIssue = addYears(issue, -1);
      sink('gongan.residence_permit', [id, name, district.code, prevIssue, issue]);
    }
    sink('gongan.residence_permit', [id, name, district.code, issue, expiry]);

    const residentLongEnough = issue <= SIX_MONTHS_BEFORE_T && expiry >= T;
    if (age >= 60 && residentLongEnough && rng.chance(0.3)) {
      const cardIssue = dayBetween(rng, maxIso(issue, addYears(birth, 60)), T);
      sink('minzheng.elderly_card', [id, cardNo(cards, cardIssue), cardIssue, '有效']);
    }
  }
}
