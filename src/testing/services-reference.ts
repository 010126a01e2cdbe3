/**
 * An independent implementation of RULES.md §7 over the exported CSV rows, for the acceptance tests
 * and the sweep bench. Written from the reference text alone: it shares no code with the engine, the item
 * definitions or the computations (its own date arithmetic, its own reading of every rule).
 *
 * Reading of the reference, as the product documents it (src/apps/services/README.md):
 * - unknown person (no household row, no residence-permit row): NOT_FOUND, nothing else;
 * - the name must equal the household record's name (or, without one, the permit's): else
 *   IDENTITY_MISMATCH, nothing else;
 * - then every failed rule is reported, in the reference's order: NOT_RESIDENT, DECEASED, AGE_UNDER_60,
 *   ALREADY_HOLDS_CARD;
 * - age: full years at T from the household birth date (the ID number's without a household row);
 * - permit: valid at T (expiry ≥ T) and issued on or before T minus six months (day clamped to the month);
 * - allowance sweep for month M: 户籍 status 正常, age on M's last day ≥ 80; tier 80–89 60, 90–99 100, 100+ 800;
 *   +50 with a 城乡居民 pension 领取中; newly eligible = eligible in M, not in M−1.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CsvParser } from '../datasets/csv';

export type CsvRow = Record<string, string>;

export function readCsv(dir: string, code: string): CsvRow[] {
  const parser = new CsvParser();
  const rows = [...parser.push(readFileSync(join(dir, `${code}.csv`), 'utf8')), ...parser.end()].map((r) => r.cells);
  const [header, ...data] = rows;
  return data.map((cells) => Object.fromEntries(header!.map((name, i) => [name, cells[i] ?? ''])));
}

export interface CityRows {
  household: Map<string, CsvRow>;
  permits: Map<string, CsvRow[]>;
  validCards: Set<string>;
  ruralPension: Set<string>;
}

export function loadCityRows(dir: string): CityRows {
  const household = new Map(readCsv(dir, 'gongan.household').map((row) => [row.id_number!, row]));
  const permits = new Map<string, CsvRow[]>();
  for (const row of readCsv(dir, 'gongan.residence_permit')) {
    permits.set(row.id_number!, [...(permits.get(row.id_number!) ?? []), row]);
  }
  const validCards = new Set(
    readCsv(dir, 'minzheng.elderly_card')
      .filter((row) => row.status === '有效')
      .map((row) => row.id_number!),
  );
  const ruralPension = new Set(
    readCsv(dir, 'renshe.pension')
      .filter((row) => row.pension_type === '城乡居民' && row.status === '领取中')
      .map((row) => row.id_number!),
  );
  return { household, permits, validCards, ruralPension };
}

export function fullYears(birth: string, at: string): number {
  const years = Number(at.slice(0, 4)) - Number(birth.slice(0, 4));
  return at.slice(5) >= birth.slice(5) ? years : years - 1;
}

function lastDayOf(year: number, month: number): number {
  return [
    31,
    (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28,
    31,
    30,
    31,
    30,
    31,
    31,
    30,
    31,
    30,
    31,
  ][month - 1]!;
}

export function sixMonthsBefore(date: string): string {
  let year = Number(date.slice(0, 4));
  let month = Number(date.slice(5, 7)) - 6;
  if (month < 1) {
    month += 12;
    year -= 1;
  }
  const day = Math.min(Number(date.slice(8, 10)), lastDayOf(year, month));
  return `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

export function endOfMonth(month: string): string {
  return `${month}-${String(lastDayOf(Number(month.slice(0, 4)), Number(month.slice(5, 7)))).padStart(2, '0')}`;
}

export function monthBefore(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return m === 1 ? `${year - 1}-12` : `${year}-${String(m - 1).padStart(2, '0')}`;
}

const birthFromId = (id: string) => `${id.slice(6, 10)}-${id.slice(10, 12)}-${id.slice(12, 14)}`;

/** §7 elderly card: the reason codes for (id, name) at T; [] = approved. `issuedHere` = cards this system issued. */
export function expectedElderlyCard(
  city: CityRows,
  id: string,
  name: string,
  T: string,
  issuedHere: ReadonlySet<string> = new Set(),
): string[] {
  const h = city.household.get(id);
  const permits = city.permits.get(id) ?? [];
  if (!h && permits.length === 0) return ['NOT_FOUND'];
  const registeredName = h ? h.name : permits[0]!.name;
  if (registeredName !== name) return ['IDENTITY_MISMATCH'];
  const reasons: string[] = [];
  const cutoff = sixMonthsBefore(T);
  const resident =
    h?.status === '正常' || permits.some((p) => p.issue_date! <= cutoff && p.expiry_date! >= T && p.issue_date! <= T);
  if (!resident) reasons.push('NOT_RESIDENT');
  if (h?.status === '注销' && h.deregistration_reason === '死亡') reasons.push('DECEASED');
  if (fullYears(h ? h.birth_date! : birthFromId(id), T) < 60) reasons.push('AGE_UNDER_60');
  if (city.validCards.has(id) || issuedHere.has(id)) reasons.push('ALREADY_HOLDS_CARD');
  return reasons;
}

export interface AllowanceEntry {
  idNumber: string;
  tier: '80-89' | '90-99' | '100+';
  amount: number;
}

function tierOf(age: number): AllowanceEntry['tier'] | null {
  if (age >= 100) return '100+';
  if (age >= 90) return '90-99';
  if (age >= 80) return '80-89';
  return null;
}

const tierAmount = { '80-89': 60, '90-99': 100, '100+': 800 } as const;

/** §7 longevity allowance at date T for one registered resident (null = not eligible). */
export function allowanceOf(city: CityRows, id: string, T: string): AllowanceEntry | null {
  const h = city.household.get(id);
  if (h?.status !== '正常') return null;
  const tier = tierOf(fullYears(h.birth_date!, T));
  if (!tier) return null;
  return { idNumber: id, tier, amount: tierAmount[tier] + (city.ruralPension.has(id) ? 50 : 0) };
}

/** The whole sweep for month M: eligible (sorted by ID number) and newly eligible. */
export function expectedSweep(city: CityRows, month: string): { eligible: AllowanceEntry[]; newly: string[] } {
  const end = endOfMonth(month);
  const previousEnd = endOfMonth(monthBefore(month));
  const eligible: AllowanceEntry[] = [];
  const newly: string[] = [];
  for (const id of city.household.keys()) {
    const entry = allowanceOf(city, id, end);
    if (!entry) continue;
    eligible.push(entry);
    if (!allowanceOf(city, id, previousEnd)) newly.push(id);
  }
  eligible.sort((a, b) => (a.idNumber < b.idNumber ? -1 : 1));
  newly.sort();
  return { eligible, newly };
}

/** §7 allowance as an application: reason codes (NOT_RESIDENT for lack of 户籍; AGE_UNDER_80). */
export function expectedAllowanceApplication(city: CityRows, id: string, name: string, T: string): string[] {
  const h = city.household.get(id);
  const permits = city.permits.get(id) ?? [];
  if (!h && permits.length === 0) return ['NOT_FOUND'];
  if ((h ? h.name : permits[0]!.name) !== name) return ['IDENTITY_MISMATCH'];
  const reasons: string[] = [];
  if (h?.status !== '正常') reasons.push('NOT_RESIDENT');
  if (h?.status === '注销' && h.deregistration_reason === '死亡') reasons.push('DECEASED');
  if (fullYears(h ? h.birth_date! : birthFromId(id), T) < 80) reasons.push('AGE_UNDER_80');
  return reasons;
}
