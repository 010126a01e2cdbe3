/**
 * Working-day arithmetic for response time limits (RULES.md §2: 10 working days by default).
 * Dates are local to China (UTC+8, no daylight saving), so a deadline falls at local midnight.
 */
const chinaOffsetMs = 8 * 60 * 60 * 1000;
const dayMs = 24 * 60 * 60 * 1000;

export interface WorkCalendar {
  /** Weekdays that are public holidays (YYYY-MM-DD). */
  holidays: ReadonlySet<string>;
  /** Weekend days that are working days (调休), YYYY-MM-DD. */
  workingWeekends: ReadonlySet<string>;
}

export const weekendsOnly: WorkCalendar = { holidays: new Set(), workingWeekends: new Set() };

/** The local (UTC+8) calendar date of an instant, as YYYY-MM-DD. */
export function chinaDate(instant: Date): string {
  return new Date(instant.getTime() + chinaOffsetMs).toISOString().slice(0, 10);
}

/** The instant of local midnight starting the given date. */
export function chinaMidnight(date: string): Date {
  return new Date(Date.parse(`${date}T00:00:00Z`) - chinaOffsetMs);
}

function nextDate(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + dayMs).toISOString().slice(0, 10);
}

export function isWorkingDay(date: string, calendar: WorkCalendar): boolean {
  if (calendar.holidays.has(date)) return false;
  if (calendar.workingWeekends.has(date)) return true;
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return weekday !== 0 && weekday !== 6;
}

/**
 * Deadline for an answer: the end of the Nth working day after the day of application
 * (the day of application itself does not count, as in administrative time limits).
 */
export function workingDaysDeadline(appliedAt: Date, workingDays: number, calendar: WorkCalendar): Date {
  let date = chinaDate(appliedAt);
  let counted = 0;
  while (counted < workingDays) {
    date = nextDate(date);
    if (isWorkingDay(date, calendar)) counted += 1;
  }
  return chinaMidnight(nextDate(date));
}

/** Working days that have begun since the deadline passed (0 when not overdue). */
export function workingDaysOverdue(dueAt: Date, now: Date, calendar: WorkCalendar): number {
  if (now.getTime() <= dueAt.getTime()) return 0;
  let date = chinaDate(dueAt);
  const today = chinaDate(now);
  let overdue = 0;
  // dueAt is a local midnight, so `date` is the first day after the deadline.
  while (date <= today) {
    if (isWorkingDay(date, calendar)) overdue += 1;
    date = nextDate(date);
  }
  return overdue;
}
