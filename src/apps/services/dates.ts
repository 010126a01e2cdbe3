/** Calendar arithmetic on ISO dates (YYYY-MM-DD) for the rules of service items: no clock, no time zone. */
import { ageInFullYears, isIsoDate, isIsoMonth } from '../../core/access/values';

export { ageInFullYears, isIsoDate, isIsoMonth };

const pad2 = (n: number) => String(n).padStart(2, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The same day `months` later (or earlier), clamped to the month's last day: 2026-08-31 − 6 months = 2026-02-28. */
export function addMonths(iso: string, months: number): string {
  const total = Number(iso.slice(0, 4)) * 12 + (Number(iso.slice(5, 7)) - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const day = Math.min(Number(iso.slice(8, 10)), daysInMonth(year, month));
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
}

/** The last day of a month YYYY-MM. */
export function monthEnd(month: string): string {
  const year = Number(month.slice(0, 4));
  const m = Number(month.slice(5, 7));
  return `${month}-${pad2(daysInMonth(year, m))}`;
}

/** The month before YYYY-MM. */
export function previousMonth(month: string): string {
  return addMonths(`${month}-01`, -1).slice(0, 7);
}
