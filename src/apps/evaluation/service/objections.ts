/**
 * Objections (数据异议): a supplying department's data officer disputes a figure it supplied for one enterprise;
 * it or 经信局 resolves the objection once the figure is corrected at the source (or withdraws it).
 */
import type { Principal } from '../../../core/auth/principal';
import type { InputName, VetoInput } from './config';
import { EvaluationError } from './errors';
import { sourceOfInput, sources } from './gather';
import type { EnterpriseDetail } from './rows';
import type { Clock } from '../../../core/ports/clock';
import type { EvaluationRecord, EvaluationStore, Objection } from '../store/store';

export interface ObjectionDeps {
  store: EvaluationStore;
  /** The member that owns the application (经信局): it may resolve any objection. */
  owner: string;
  clock: Clock;
  newId: () => string;
}

/** A figure that can be disputed: an input or a veto count, each supplied by one department. */
export type FigureName = InputName | VetoInput;

export const figures: Record<FigureName, { label: string; labelEn: string; unit: string }> = {
  tax: { label: '实缴税收', labelEn: 'Tax paid', unit: '万元' },
  value_added: { label: '工业增加值', labelEn: 'Value added', unit: '万元' },
  main_revenue: { label: '主营业务收入', labelEn: 'Main business revenue', unit: '万元' },
  rd_expense: { label: '研发经费支出', labelEn: 'R&D expense', unit: '万元' },
  energy_tce: { label: '综合能耗', labelEn: 'Energy', unit: '吨标准煤' },
  employees: { label: '月均参保人数', labelEn: 'Mean monthly insured employees', unit: '人' },
  land_mu: { label: '工业用地面积', labelEn: 'Industrial land', unit: '亩' },
  kwh: { label: '用电量', labelEn: 'Electricity', unit: '千瓦时' },
  emission: { label: '主要污染物排放量', labelEn: 'Major pollutant emissions', unit: '吨' },
  major_accidents: { label: '较大及以上生产安全事故', labelEn: 'Major safety accidents', unit: '起' },
  severe_penalties: { label: '严重环境违法处罚', labelEn: 'Severe environmental penalties', unit: '次' },
};

export function isFigureName(name: string): name is FigureName {
  return Object.hasOwn(figures, name);
}

/** A supplying department's data officer disputes one of its own figures for one enterprise. */
export async function fileObjection(
  deps: ObjectionDeps,
  principal: Principal,
  evaluation: EvaluationRecord,
  input: { uscc: string; figure: string; reason: string },
): Promise<Objection> {
  const id = evaluation.id;
  if (!isFigureName(input.figure)) {
    throw new EvaluationError('UNKNOWN_FIGURE', `没有这项数据 ${input.figure} / unknown figure`, [
      { path: 'figure', message: Object.keys(figures).join(', ') },
    ]);
  }
  const provider = sources[sourceOfInput[input.figure]].provider;
  if (principal.memberCode !== provider || !principal.roles.includes('data_officer')) {
    throw new EvaluationError(
      'NOT_SUPPLIER_OF_FIGURE',
      `只有提供该数据的部门（${sources[sourceOfInput[input.figure]].department}）的数据专员可以提出异议 / only the supplying department's data officer`,
    );
  }
  const reason = input.reason.trim();
  if (!reason) throw new EvaluationError('REASON_REQUIRED', '必须填写异议理由 / a reason is required');
  const row = await deps.store.getEnterprise(id, input.uscc);
  if (!row) throw new EvaluationError('ENTERPRISE_NOT_FOUND', `评价中没有企业 ${input.uscc}`);
  const detail = row.detail as EnterpriseDetail;
  if (detail.refs[sources[sourceOfInput[input.figure]].key] === undefined) {
    throw new EvaluationError(
      'FIGURE_NOT_USED',
      '该企业的这项数据未在本次评价中使用 / figure not used for this enterprise',
    );
  }
  const objection: Objection = {
    id: deps.newId(),
    evaluationId: id,
    year: evaluation.year,
    uscc: row.uscc,
    enterpriseName: row.name,
    figure: input.figure,
    provider,
    reason,
    status: 'open',
    filedByMember: principal.memberCode,
    filedByUser: principal.username,
    filedAt: deps.clock.now().toISOString(),
    resolvedAt: null,
    resolvedBy: null,
    resolutionNote: null,
  };
  await deps.store.addObjection(objection);
  return objection;
}

/** The supplying department marks its objection corrected (data fixed at the source) or withdrawn/rejected. */
export async function resolveObjection(
  deps: ObjectionDeps,
  principal: Principal,
  objectionId: string,
  input: { status: 'corrected' | 'rejected'; note?: string | undefined },
): Promise<Objection> {
  const objection = await deps.store.getObjection(objectionId);
  if (!objection) throw new EvaluationError('OBJECTION_NOT_FOUND', `没有异议 ${objectionId}`);
  const mayResolve =
    (principal.memberCode === objection.provider && principal.roles.includes('data_officer')) ||
    (principal.memberCode === deps.owner && principal.roles.includes('data_officer'));
  if (!mayResolve) throw new EvaluationError('FORBIDDEN_ROLE', '只有提供部门或经信局可以处理异议');
  const ok = await deps.store.resolveObjection(objectionId, {
    status: input.status,
    at: deps.clock.now().toISOString(),
    by: principal.username ?? principal.memberCode,
    note: input.note?.trim() || null,
  });
  if (!ok) throw new EvaluationError('OBJECTION_CLOSED', '该异议已处理 / already resolved');
  return (await deps.store.getObjection(objectionId)) as Objection;
}
