/**
 * What a service item shows before anyone applies: its summary in the catalog and the preview of the
 * checks it will make (which department is asked what), with the consent the applicant gives.
 */
import type { ItemDefinition } from './definition';

/** An item as the catalog lists it. */
export type ItemSummary = ReturnType<typeof summaryOf>;

/** What will be checked before the applicant consents. */
export type PreviewView = ReturnType<typeof itemPreview>;

export function summaryOf(def: ItemDefinition) {
  return {
    id: def.id,
    name: def.name,
    nameEn: def.nameEn ?? null,
    kind: def.kind,
    issuer: def.issuer,
    legalBasis: def.legalBasis,
    legalBasisEn: def.legalBasisEn ?? null,
    promisedWorkingDays: def.promisedWorkingDays,
    noApplication: def.noApplication,
    before: def.before,
    certificate: def.certificate ?? null,
    tiers: def.benefit?.tiers ?? [],
  };
}

/**
 * What will be checked before the applicant consents: each department's question, the applicant's own data,
 * the documents no longer needed and the consent text.
 */
export function itemPreview(def: ItemDefinition) {
  const seen = new Set<string>();
  const checks: {
    department: string;
    resource: string;
    resourceName: string;
    mode: 'verify' | 'compute';
    question: string;
    questionEn: string | null;
  }[] = [];
  const add = (entry: (typeof checks)[number]) => {
    const key = `${entry.resource}|${entry.question}`;
    if (seen.has(key)) return;
    seen.add(key);
    checks.push(entry);
  };
  const own: { question: string; questionEn: string | null }[] = [];
  for (const fact of Object.values(def.facts)) {
    if (fact.source === 'exchange') {
      add({
        department: fact.department,
        resource: fact.resource,
        resourceName: fact.resourceName,
        mode: fact.mode,
        question: fact.question,
        questionEn: fact.questionEn ?? null,
      });
    } else {
      own.push({ question: fact.question, questionEn: fact.questionEn ?? null });
    }
  }
  if (def.benefit) {
    const source = def.benefit.ageSource;
    add({
      department: source.department,
      resource: source.resource,
      resourceName: source.resourceName,
      mode: 'verify',
      question: `按登记的出生日期所在的年龄档次（${def.benefit.tiers.map((tier) => tier.name).join('、')}）`,
      questionEn: `The age band by the registered birth date (${def.benefit.tiers.map((tier) => tier.nameEn ?? tier.id).join(', ')})`,
    });
    for (const supplement of def.benefit.supplements) {
      add({
        department: supplement.verify.department,
        resource: supplement.verify.resource,
        resourceName: supplement.verify.resourceName,
        mode: 'verify',
        question: supplement.verify.question,
        questionEn: supplement.verify.questionEn ?? null,
      });
    }
  }
  return {
    item: summaryOf(def),
    checks,
    ownData: own,
    documentsNotNeeded: def.before.documents,
    documentsNotNeededEn: def.before.documentsEn ?? null,
    applicantSees: def.applicantSees,
    applicantSeesEn: def.applicantSeesEn ?? null,
    consent:
      `本人同意${def.issuer.name}经清河市数据共享交换平台，向上述部门核验以上事项，用于办理“${def.name}”。` +
      '各部门只回答“是/否”，不提供明细数据；核验记录可在审计账本中查询。',
    consentEn:
      `I agree that, to handle “${def.nameEn ?? def.name}”, the departments above are asked these questions ` +
      'through the city data exchange. They answer only yes or no; every check is recorded in the audit ledger.',
  };
}
