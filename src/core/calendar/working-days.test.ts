import { describe, expect, it } from 'vitest';
import { chinaDate, weekendsOnly, workingDaysDeadline, workingDaysOverdue } from './working-days';

describe('working days (UTC+8)', () => {
  it('uses the China date, not the UTC date', () => {
    expect(chinaDate(new Date('2026-11-26T17:00:00Z'))).toBe('2026-11-27');
    expect(chinaDate(new Date('2026-11-26T15:59:59Z'))).toBe('2026-11-26');
  });

  it('counts ten working days from the day after application, skipping weekends', () => {
    // Applied Friday 2026-11-27; working days Mon 30 Nov … Fri 11 Dec; deadline at the end of Fri 11 Dec.
    const due = workingDaysDeadline(new Date('2026-11-27T02:00:00Z'), 10, weekendsOnly);
    expect(due.toISOString()).toBe('2026-12-11T16:00:00.000Z');
  });

  it('starts counting on Monday for an application made on Saturday', () => {
    const due = workingDaysDeadline(new Date('2026-11-28T02:00:00Z'), 1, weekendsOnly);
    expect(chinaDate(new Date(due.getTime() - 1))).toBe('2026-11-30');
  });

  it('honours holidays and working weekends (调休)', () => {
    const calendar = { holidays: new Set(['2026-11-30']), workingWeekends: new Set(['2026-12-05']) };
    const due = workingDaysDeadline(new Date('2026-11-27T02:00:00Z'), 5, calendar);
    // Tue 1, Wed 2, Thu 3, Fri 4, Sat 5 (调休) → end of Sat 5 Dec.
    expect(chinaDate(new Date(due.getTime() - 1))).toBe('2026-12-05');
  });

  it('reports working days overdue, not calendar days', () => {
    const due = new Date('2026-12-11T16:00:00Z'); // end of Friday 11 Dec
    expect(workingDaysOverdue(due, new Date('2026-12-11T15:00:00Z'), weekendsOnly)).toBe(0);
    expect(workingDaysOverdue(due, new Date('2026-12-12T03:00:00Z'), weekendsOnly)).toBe(0); // Saturday
    expect(workingDaysOverdue(due, new Date('2026-12-14T01:00:00Z'), weekendsOnly)).toBe(1); // Monday
    expect(workingDaysOverdue(due, new Date('2026-12-18T01:00:00Z'), weekendsOnly)).toBe(5);
  });
});
