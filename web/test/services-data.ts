// Residents for the 一网通办 browser test, chosen from the demo city's own data by the independent
// implementation of RULES.md §7 (the console itself never reads files).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chinaDate } from '../../src/core/calendar/working-days';
import type { TestCity } from '../../src/testing/test-city';
import { expectedElderlyCard, loadCityRows } from '../../src/testing/services-reference';

export interface Applicant {
  id: string;
  name: string;
}

/** As of today: a resident the elderly card is granted to, and one refused only for being under 60. */
export async function elderlyCardApplicants(
  city: Pick<TestCity, 'exportData'>,
): Promise<{ eligible: Applicant; young: Applicant }> {
  const out = mkdtempSync(join(tmpdir(), 'hutong-services-e2e-'));
  try {
    await city.exportData(out);
    const rows = loadCityRows(out);
    const today = chinaDate(new Date());
    const household = [...rows.household.values()];
    const outcome = (id: string, name: string) => expectedElderlyCard(rows, id, name, today).join();
    const e = household.find((h) => outcome(h.id_number!, h.name!) === '')!;
    const y = household.find((h) => outcome(h.id_number!, h.name!) === 'AGE_UNDER_60')!;
    return { eligible: { id: e.id_number!, name: e.name! }, young: { id: y.id_number!, name: y.name! } };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}
