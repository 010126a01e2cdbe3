/**
 * The city's SLA board: per department, what it publishes and how fast it answers. Makes the
 * "data is power" problem visible (RULES.md §1): overdue requests are named, with days overdue.
 */
import { type Agreement, type AgreementStatus, agreementStatuses } from '../agreements/agreement';
import { type Resource, type SharingType, sharingTypes } from '../catalog/resource';
import type { Member, MemberRole } from '../members/member';
import { type WorkCalendar, workingDaysOverdue } from '../calendar/working-days';

export interface DepartmentRow {
  code: string;
  name: string;
  role: MemberRole;
  resourcesPublished: number;
  applicationsReceived: number;
  applicationsAnswered: number;
  applicationsPending: number;
  applicationsOverdue: number;
  maxWorkingDaysOverdue: number;
  /** Median hours from application to the provider's final answer, over answers a person gave. */
  medianAnswerHours: number | null;
  agreementsActive: number;
}

export interface OverdueRow {
  agreementId: string;
  resourceCode: string;
  resourceName: string;
  consumerCode: string;
  providerCode: string;
  appliedAt: string;
  dueAt: string;
  workingDaysOverdue: number;
}

export interface SlaBoard {
  asOf: string;
  slaWorkingDays: number;
  totals: {
    resourcesPublished: number;
    applicationsReceived: number;
    applicationsAnswered: number;
    applicationsPending: number;
    applicationsOverdue: number;
    agreementsActive: number;
  };
  /** City-wide breakdowns for the board's charts. */
  resourcesBySharingType: Record<SharingType, number>;
  agreementsByStatus: Record<AgreementStatus, number>;
  departments: DepartmentRow[];
  overdue: OverdueRow[];
}

function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return Math.round(value * 10) / 10;
}

const waiting = new Set(['pending', 'pending_superior']);

export function buildSlaBoard(input: {
  members: Member[];
  resources: Resource[];
  agreements: Agreement[];
  now: Date;
  calendar: WorkCalendar;
  slaWorkingDays: number;
}): SlaBoard {
  const { now, calendar } = input;
  const resourceNames = new Map(input.resources.map((resource) => [resource.code, resource.name]));
  const overdue: OverdueRow[] = [];
  const rows = input.members.map((member): DepartmentRow => {
    const received = input.agreements.filter(
      (agreement) => agreement.providerCode === member.code && agreement.status !== 'withdrawn',
    );
    const answered = received.filter((agreement) => agreement.answeredAt !== null);
    const pending = received.filter((agreement) => waiting.has(agreement.status));
    let overdueCount = 0;
    let maxOverdue = 0;
    for (const agreement of pending) {
      const days = workingDaysOverdue(new Date(agreement.dueAt), now, calendar);
      if (now.getTime() > Date.parse(agreement.dueAt)) {
        overdueCount += 1;
        maxOverdue = Math.max(maxOverdue, days);
        overdue.push({
          agreementId: agreement.id,
          resourceCode: agreement.resourceCode,
          resourceName: resourceNames.get(agreement.resourceCode) ?? agreement.resourceCode,
          consumerCode: agreement.consumerCode,
          providerCode: agreement.providerCode,
          appliedAt: agreement.appliedAt,
          dueAt: agreement.dueAt,
          workingDaysOverdue: days,
        });
      }
    }
    // Automatic approvals of 无条件 resources take no time and would flatter the median.
    const manualAnswerHours = answered
      .filter((agreement) => !agreement.history.some((event) => event.action === 'auto_approve'))
      .map((agreement) => (Date.parse(agreement.answeredAt!) - Date.parse(agreement.appliedAt)) / 3_600_000);
    return {
      code: member.code,
      name: member.name,
      role: member.role,
      resourcesPublished: input.resources.filter((resource) => resource.providerCode === member.code).length,
      applicationsReceived: received.length,
      applicationsAnswered: answered.length,
      applicationsPending: pending.length,
      applicationsOverdue: overdueCount,
      maxWorkingDaysOverdue: maxOverdue,
      medianAnswerHours: median(manualAnswerHours),
      agreementsActive: input.agreements.filter(
        (agreement) =>
          agreement.status === 'active' &&
          (agreement.providerCode === member.code || agreement.consumerCode === member.code),
      ).length,
    };
  });
  const sum = (pick: (row: DepartmentRow) => number) => rows.reduce((total, row) => total + pick(row), 0);
  overdue.sort((a, b) => b.workingDaysOverdue - a.workingDaysOverdue || a.appliedAt.localeCompare(b.appliedAt));
  return {
    asOf: now.toISOString(),
    slaWorkingDays: input.slaWorkingDays,
    totals: {
      resourcesPublished: input.resources.length,
      applicationsReceived: sum((row) => row.applicationsReceived),
      applicationsAnswered: sum((row) => row.applicationsAnswered),
      applicationsPending: sum((row) => row.applicationsPending),
      applicationsOverdue: sum((row) => row.applicationsOverdue),
      agreementsActive: input.agreements.filter((agreement) => agreement.status === 'active').length,
    },
    resourcesBySharingType: Object.fromEntries(
      sharingTypes.map((type) => [type, input.resources.filter((resource) => resource.sharingType === type).length]),
    ) as Record<SharingType, number>,
    agreementsByStatus: Object.fromEntries(
      agreementStatuses.map((status) => [
        status,
        input.agreements.filter((agreement) => agreement.status === status).length,
      ]),
    ) as Record<AgreementStatus, number>,
    departments: rows,
    overdue,
  };
}
