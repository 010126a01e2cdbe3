/**
 * What a provider publishes at its node, per resource: how each item is masked in record answers, the
 * coarse dimensions aggregate queries may use, and the named computations that run at the source.
 */
import type { AggregateSpec } from '../../core/access/aggregate';
import type { ComputationDef } from '../../core/access/compute';

export interface ResourcePublication {
  /** Item → masking rule text (see src/core/access/masking.ts); items without a rule are hidden. */
  masking: Readonly<Record<string, string>>;
  aggregate?: AggregateSpec | undefined;
}

export interface Publications {
  resources: Readonly<Record<string, ResourcePublication>>;
  computations: readonly ComputationDef[];
}

export const emptyPublications: Publications = { resources: {}, computations: [] };
