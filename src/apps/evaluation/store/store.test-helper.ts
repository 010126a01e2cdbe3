/** What the store's tests start an evaluation with: jingxin's run of the default methodology for 2025. */
import type { EvaluationStore } from './store';

export function startedEvaluation(
  id: string,
  createdAt: string,
  config: unknown = {},
): Parameters<EvaluationStore['createEvaluation']>[0] {
  return { id, year: 2025, configId: 'default', configVersion: '1.0.0', config, createdAt, createdBy: 'jingxin' };
}
