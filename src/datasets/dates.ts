/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, proleptic Gregorian) without Date, so the
 * generator never touches a clock or a time zone. Algorithms after H. Hinnant's civil-from-days.
 */

export function daysFromCivil(y: number, m: number, d: number): number {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

export function civilFromDays(z: number): [number, number, number] {
  const zz = z + 719468;
  const era = Math.floor(zz / 146097);
  const doe = zz - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

export function isoFromDays(z: number): string {
  const [y, m, d] = civilFromDays(z);
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

export function daysFromIso(iso: string): number {
  return daysFromCivil(Number(iso.slice(0, 4)), Number(iso.slice(5, 7)), Number(iso.slice(8, 10)));
}

/** Same calendar day `years` later; 29 February maps to 28 February in common years. */
export function addYears(iso: string, years: number): string {
  const y = Number(iso.slice(0, 4)) + years;
  const m = Number(iso.slice(5, 7));
  let d = Number(iso.slice(8, 10));
  if (m === 2 && d === 29 && !((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0)) d = 28;
  return `${y}-${pad2(m)}-${pad2(d)}`;
}

/** Full years between a birth date and a reference date (both ISO). */
export function fullYears(birth: string, at: string): number {
  const years = Number(at.slice(0, 4)) - Number(birth.slice(0, 4));
  return at.slice(5) >= birth.slice(5) ? years : years - 1;
}
