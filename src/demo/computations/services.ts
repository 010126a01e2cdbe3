/**
 * Computations published for 一网通办 (RULES.md §7): the population of a 免申即享 benefit, taken at
 * 公安 over its whole household register, and the pension fact a benefit supplement depends on, at 人社,
 * for a batch of residents. Only the declared outputs leave the provider's node.
 */
import type { ComputationDef } from '../../core/access/compute';
import { AccessError } from '../../core/access/errors';
import { ageInFullYears, isIsoDate } from '../../core/access/values';

/**
 * Residents whose household registration (户籍) is in the city with status 正常 and who are at least
 * `minAge` full years old at `asOf`, with their registered birth date and that age. A roster: called
 * without subjects it runs over the whole register and leaves out everyone else; called with subjects, a
 * subject outside the roster is reported missing.
 */
export const residentsByAge: ComputationDef = {
  id: 'gongan.residents_by_age',
  title: '达到年龄的本市户籍人口',
  description:
    '截至指定日期年满指定周岁（生日当天满岁；2 月 29 日出生者平年于 3 月 1 日满岁）、户籍状态正常的居民，及其登记的出生日期和周岁年龄；不指定对象时列出全部符合条件的居民。',
  descriptionEn:
    'Residents with household status “normal” aged at least minAge full years at asOf (the age rises on the ' +
    'birthday itself; someone born on 29 February turns a year older on 1 March in common years), with the ' +
    'registered birth date and that age. Run without subjects it lists the whole register’s matches.',
  subjectKind: 'citizen',
  params: [
    { name: 'asOf', title: '截至日期', type: 'date' },
    { name: 'minAge', title: '最低周岁', type: 'integer' },
  ],
  resource: 'gongan.household',
  subjectItem: 'id_number',
  items: ['id_number', 'birth_date', 'status'],
  outputs: [
    { name: 'birth_date', title: '出生日期', type: 'date', nullable: false },
    { name: 'age', title: '周岁', type: 'integer', nullable: false },
  ],
  noRowsMeans: 'missing',
  roster: true,
  run(rows, params) {
    if (rows.length > 1) throw new AccessError('BAD_SOURCE_DATA', `${this.id}: ${rows.length} household rows`);
    const row = rows[0];
    if (row?.status !== '正常') return null;
    const birth = row.birth_date;
    if (!isIsoDate(birth)) {
      throw new AccessError('BAD_SOURCE_DATA', `${this.id}: birth_date is not a date`, [
        { path: 'birth_date', message: 'unreadable source value' },
      ]);
    }
    const age = ageInFullYears(birth, String(params.asOf));
    if (age === null || age < Number(params.minAge)) return null;
    return { birth_date: birth, age };
  },
};

/**
 * Whether the resident currently receives the 城乡居民 basic pension (a row of type 城乡居民 with status
 * 领取中). The pension register is complete, so a resident without a row receives none: false, not missing.
 */
export const residentPensionReceiving: ComputationDef = {
  id: 'renshe.resident_pension_receiving',
  title: '是否领取城乡居民基本养老保险待遇',
  description: '本人有状态为“领取中”的城乡居民养老保险待遇记录时为是，否则为否（包括无任何养老保险记录；登记完整）。',
  descriptionEn:
    'True when the person has an urban-and-rural-residents pension row with status “being paid”; false otherwise, including when the ' +
    'person has no pension row at all (the register is complete).',
  subjectKind: 'citizen',
  params: [],
  resource: 'renshe.pension',
  subjectItem: 'id_number',
  items: ['id_number', 'pension_type', 'status'],
  outputs: [{ name: 'receiving', title: '领取城乡居民养老金', type: 'boolean', nullable: false }],
  noRowsMeans: 'zero',
  run(rows) {
    return { receiving: rows.some((row) => row.pension_type === '城乡居民' && row.status === '领取中') };
  },
};

/** The computations 一网通办 needs, one per source department. */
export const servicesComputations: readonly ComputationDef[] = [residentsByAge, residentPensionReceiving];
