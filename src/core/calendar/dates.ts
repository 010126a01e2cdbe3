/**
 * Calendar arithmetic on ISO dates (YYYY-MM-DD) and months (YYYY-MM): no clock, no time zone. The one place
 * the hub, the apps, the demo and the dataset generator shift dates (working days: ./working-days.ts).
 */

const DAY_MS = 86_400_000;
const pad2 = (n: number) => String(n).padStart(2, '0');

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The date `days` later (or earlier). */
export function addDays(iso: string, days: number): string {
  return new Date(Date.parse(`${iso}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** The same day `months` later (or earlier), clamped to the month's last day: 2026-08-31 − 6 months = 2026-02-28. */
export function addMonths(iso: string, months: number): string {
  const total = Number(iso.slice(0, 4)) * 12 + (Number(iso.slice(5, 7)) - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const day = Math.min(Number(iso.slice(8, 10)), daysInMonth(year, month));
  return `${year}-${pad2(month)}-${pad2(day)}`;
}

/** The last day of a month YYYY-MM. */
export function monthEnd(month: string): string {
  return `${month}-${pad2(daysInMonth(Number(month.slice(0, 4)), Number(month.slice(5, 7))))}`;
}

/** The month before YYYY-MM. */
export function previousMonth(month: string): string {
  return addMonths(`${month}-01`, -1).slice(0, 7);
}
