/**
 * What each demo provider publishes at its node: masking of record answers, the coarse dimensions of
 * aggregate queries, and the computations of the 亩均论英雄 evaluation.
 */
import { evaluationComputations } from './computations/evaluation';
import { muJunComputations } from './computations/mujun';
import { servicesComputations } from './computations/services';
import type { Publications, ResourcePublication } from '../node/service/publications';

const open = (...items: string[]) => Object.fromEntries(items.map((item) => [item, 'none']));

const resources: Record<string, ResourcePublication> = {
  'gongan.household': {
    masking: {
      id_number: 'id_number',
      name: 'name',
      gender: 'none',
      birth_date: 'date_to_year',
      district_code: 'none',
      address: 'keep_prefix:6',
      status: 'none',
      deregistration_reason: 'none',
      deregistration_date: 'date_to_month',
    },
    aggregate: { subjectItem: 'id_number', dimensions: ['gender', 'district_code', 'status'] },
  },
  'gongan.residence_permit': {
    masking: {
      id_number: 'id_number',
      name: 'name',
      district_code: 'none',
      issue_date: 'date_to_month',
      expiry_date: 'none',
    },
  },
  'minzheng.elderly_card': {
    masking: { id_number: 'id_number', card_no: 'keep_prefix:4', issue_date: 'date_to_month', status: 'none' },
  },
  'renshe.pension': {
    masking: { id_number: 'id_number', pension_type: 'none', status: 'none', start_date: 'date_to_year' },
  },
  'renshe.insured_monthly': { masking: {}, aggregate: { subjectItem: 'uscc', dimensions: ['month'] } },
  'shuiwu.tax_annual': { masking: {}, aggregate: { subjectItem: 'uscc', dimensions: ['year'] } },
  'ziranziyuan.land_parcel': {
    masking: open('parcel_id', 'uscc', 'district_code', 'area_mu', 'use_type', 'acquired_date'),
    aggregate: { subjectItem: 'uscc', dimensions: ['district_code', 'use_type'] },
  },
  'tongji.enterprise_annual': { masking: {}, aggregate: { subjectItem: 'uscc', dimensions: ['year', 'above_scale'] } },
  'gongdian.electricity_annual': { masking: {}, aggregate: { subjectItem: 'uscc', dimensions: ['year'] } },
  'shengtai.emission_annual': { masking: {}, aggregate: { subjectItem: 'uscc', dimensions: ['year'] } },
  'shengtai.penalty': { masking: open('uscc', 'decision_date', 'severity', 'description') },
  'yingji.safety_accident': { masking: open('uscc', 'accident_date', 'level') },
  'shichang.enterprise': {
    masking: {
      ...open('uscc', 'name', 'industry_code', 'district_code', 'registered_date', 'status'),
      legal_rep_name: 'name',
      legal_rep_id_number: 'id_number',
    },
    aggregate: { subjectItem: 'uscc', dimensions: ['district_code', 'status'] },
  },
  'shichang.patent_annual': {
    masking: open('uscc', 'year', 'invention_granted', 'utility_granted'),
    aggregate: { subjectItem: 'uscc', dimensions: ['year'] },
  },
};

export function demoPublications(memberCode: string): Publications {
  const mine = (code: string) => code.startsWith(`${memberCode}.`);
  return {
    resources: Object.fromEntries(Object.entries(resources).filter(([code]) => mine(code))),
    computations: [...muJunComputations, ...evaluationComputations, ...servicesComputations].filter((def) =>
      mine(def.resource),
    ),
  };
}
