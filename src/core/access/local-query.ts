/**
 * The body of a node's `POST /local/v1/query`, the one request a member's own systems (and the console)
 * make of their node: the agreement, the mode, who asks and for which case, an optional covert flag, and
 * beside them the mode's own payload (a verify's subject and predicate, a record's subjects…). Built here
 * for the exchange client and the console, read here by the node, so the three cannot drift apart.
 */
import { type AccessMode, accessModes } from '../catalog/resource';

export interface LocalQuery {
  agreementId: string;
  mode: AccessMode;
  /** Who asks, when a system asks on someone's behalf; a person at the console is named by their session. */
  officer?: string | undefined;
  caseId?: string | undefined;
  /** Ask the provider to withhold the access from the subject until this date (only where allowed). */
  covertUntil?: string | undefined;
  /** The mode's own fields. */
  payload: Record<string, unknown>;
}

const named = new Set(['agreementId', 'mode', 'officer', 'caseId', 'covertUntil']);

/** The JSON body: the mode's payload with the named fields beside it. */
export function localQueryBody(query: LocalQuery): Record<string, unknown> {
  const { payload, ...fields } = query;
  const body: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) if (!named.has(key)) body[key] = value;
  for (const [key, value] of Object.entries(fields)) if (value !== undefined) body[key] = value;
  return body;
}

/** Reads a parsed body; undefined unless it names an agreement and one of the exchange's modes. */
export function readLocalQuery(input: unknown): LocalQuery | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const { agreementId, mode, officer, caseId, covertUntil, ...payload } = input as Record<string, unknown>;
  if (typeof agreementId !== 'string' || !(accessModes as readonly unknown[]).includes(mode)) return undefined;
  const text = (value: unknown) => (typeof value === 'string' ? value : undefined);
  return {
    agreementId,
    mode: mode as AccessMode,
    officer: text(officer),
    caseId: text(caseId),
    covertUntil: text(covertUntil),
    payload,
  };
}
