/**
 * A peer request made ready: its payload checked for its mode (verify, record, aggregate, compute), the
 * exact items and subjects it reads, and the read itself as a deferred run — so the node decides, and
 * durably audits, before any data is touched.
 */
import { type CheckedAggregateQuery, checkAggregateQuery, runAggregate } from '../../core/access/aggregate';
import {
  type ComputationDef,
  type ComputationRegistry,
  checkParams,
  computationItems,
  executeComputation,
} from '../../core/access/compute';
import { AccessError } from '../../core/access/errors';
import { type MaskingPolicy, recordAnswer, recordItems } from '../../core/access/masking';
import { checkPredicate, itemsReferenced, verifyRows } from '../../core/access/predicate';
import { normaliseSubjectKey } from '../../core/access/subject-key';
import type { Row } from '../../core/access/values';
import type { Resource, SubjectKind } from '../../core/catalog/resource';
import { chinaDate } from '../../core/calendar/working-days';
import type { DataRow, NodeData } from '../../core/ports/node-ports';
import { NodeError } from './node-errors';
import type { PeerCall } from './node-service';
import type { Publications } from './publications';

export interface PrepareDeps {
  data: NodeData;
  publications: Publications;
  computations: ComputationRegistry;
  /** Subjects per call at most. */
  maxBatch: number;
  maskingPolicy(resource: Resource): MaskingPolicy;
}

export interface Prepared {
  resource: Resource;
  items: string[];
  subjects: string[];
  run(): Promise<unknown>;
  /** For a whole-register roster: the subjects known only after the run, those its answer names. */
  subjectsOf?(result: unknown): string[];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function subjectItemOf(resource: Resource): { name: string; kind: SubjectKind } | undefined {
  const item = resource.items.find((candidate) => candidate.subjectKey !== null);
  return item?.subjectKey ? { name: item.name, kind: item.subjectKey } : undefined;
}

function groupBySubject(rows: DataRow[], subjectItem: string, subjects: string[]): Map<string, Row[]> {
  const grouped = new Map<string, Row[]>(subjects.map((subject) => [subject, []]));
  for (const row of rows) grouped.get(String(row[subjectItem]))?.push(row);
  return grouped;
}

/**
 * Checks a peer request's payload for its mode against the resource and the granted items, and returns what
 * it will read (items, subjects) and how — without reading anything yet: the decision comes first.
 */
export function prepareRequest(
  deps: PrepareDeps,
  call: PeerCall,
  resource: Resource,
  granted: string[],
  now: Date,
): Prepared {
  const payload = call.payload;
  if (!isRecord(payload)) throw new NodeError('BAD_REQUEST', 'the body must be a JSON object');
  const subjectItem = subjectItemOf(resource);
  const today = chinaDate(now);
  const subjectsOf = (raw: unknown, path: string): string[] => {
    if (!subjectItem) throw new NodeError('BAD_REQUEST', `${resource.code} has no subject key`);
    if (!Array.isArray(raw) || raw.length === 0)
      throw new NodeError('BAD_REQUEST', `${path} must be a non-empty array`);
    if (raw.length > deps.maxBatch) {
      throw new AccessError('BATCH_TOO_LARGE', `at most ${deps.maxBatch} subjects per call`);
    }
    return [...new Set(raw.map((key) => normaliseSubjectKey(subjectItem.kind, key, today)))];
  };
  switch (call.mode) {
    case 'verify': {
      const [subject] = subjectsOf([payload.subject], 'subject');
      const predicate = checkPredicate(payload.predicate, { items: resource.items, allowed: granted });
      return {
        resource,
        items: [...new Set([subjectItem!.name, ...itemsReferenced(predicate)])],
        subjects: [subject!],
        run: async () => {
          const rows = await deps.data.rowsForSubjects(resource.code, subjectItem!.name, [subject!]);
          return { subject: payload.subject, answer: verifyRows(predicate, rows) };
        },
      };
    }
    case 'record': {
      const subjects = subjectsOf(payload.subjects, 'subjects');
      const requested = payload.items === undefined ? undefined : (payload.items as unknown);
      if (
        requested !== undefined &&
        (!Array.isArray(requested) || requested.some((item) => typeof item !== 'string'))
      ) {
        throw new NodeError('BAD_REQUEST', 'items must be an array of item names');
      }
      const items = recordItems({ granted, requested: requested as string[] | undefined });
      const policy = deps.maskingPolicy(resource);
      return {
        resource,
        items,
        subjects,
        run: async () => {
          const rows = await deps.data.rowsForSubjects(resource.code, subjectItem!.name, subjects);
          return recordAnswer(subjects, groupBySubject(rows, subjectItem!.name, subjects), {
            granted,
            requested: items,
            policy,
          });
        },
      };
    }
    case 'aggregate': {
      const spec = deps.publications.resources[resource.code]?.aggregate;
      if (!spec) throw new AccessError('BAD_QUERY', `${resource.code} publishes no aggregate dimensions`);
      const query: CheckedAggregateQuery = checkAggregateQuery(payload, { items: resource.items, granted, spec });
      const items = [
        ...new Set([
          ...query.groupBy,
          ...(query.filter ? itemsReferenced(query.filter) : []),
          ...query.measures.flatMap((measure) => (measure.fn === 'sum' ? [measure.item] : [])),
        ]),
      ];
      return {
        resource,
        items,
        subjects: [],
        run: async () => runAggregate(query, await deps.data.allRows(resource.code)),
      };
    }
    case 'compute': {
      if (typeof payload.computation !== 'string') throw new NodeError('BAD_REQUEST', 'computation must be named');
      const def: ComputationDef = deps.computations.get(payload.computation);
      if (def.resource !== resource.code) {
        throw new AccessError(
          'RESOURCE_MISMATCH',
          `${def.id} reads ${def.resource}, the agreement covers ${resource.code}`,
        );
      }
      checkParams(def, payload.params);
      if (payload.subjects === undefined && def.roster) {
        // The whole register: the subjects are known only after the run; the event names every subject the
        // answer returns, so each sees this use in their data-usage records.
        return {
          resource,
          items: computationItems(def),
          subjects: [],
          subjectsOf: (answer) => (answer as { results: { subject: string }[] }).results.map((r) => r.subject),
          run: async () => {
            const rows = await deps.data.allRows(resource.code);
            const bySubject = new Map<string, Row[]>();
            for (const row of rows) {
              const key = String(row[def.subjectItem] ?? '');
              const list = bySubject.get(key);
              if (list) list.push(row);
              else bySubject.set(key, [row]);
            }
            return executeComputation(def, bySubject, payload.params, { wholeRoster: true });
          },
        };
      }
      const subjects = subjectsOf(payload.subjects, 'subjects');
      return {
        resource,
        items: computationItems(def),
        subjects,
        run: async () => {
          const rows = await deps.data.rowsForSubjects(resource.code, def.subjectItem, subjects);
          return executeComputation(def, groupBySubject(rows, def.subjectItem, subjects), payload.params, {
            maxBatch: deps.maxBatch,
          });
        },
      };
    }
  }
}
