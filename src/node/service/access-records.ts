/**
 * The audit events of one decision with their public access records: one event, or consecutive parts when
 * a decision names more subjects than one record holds. Everything that could point at a case — digests,
 * officer, case — is a keyed hash, per disclosure date for a covert access (nothing in it links early).
 */
import { covertSubjectInput } from '../../core/access/covert';
import {
  type AccessRecordDraft,
  publicAgreementId,
  publicMemberCode,
  publicRequestId,
  splitSubjects,
} from '../../core/audit/access-record';
import type { KeyedPurpose, SubjectHasher } from '../../core/ports/node-ports';
import type { AuditAppend, AuditEvent } from '../../core/ports/node-store';

export interface AccessRecordInput {
  node: string;
  event: Omit<AuditEvent, 'eventId' | 'at' | 'decision' | 'code' | 'providerCode' | 'responseDigest'>;
  decision: AuditEvent['decision'];
  code: string | null;
  at: string;
  responseDigest: string;
  hasher: Pick<SubjectHasher, 'keyed'>;
  newEventId(): string;
}

export function accessAppends(input: AccessRecordInput): AuditAppend[] {
  const { event, decision, code, at, responseDigest } = input;
  const covertUntil = event.covertUntil ?? null;
  // Keyed per purpose, and per disclosure date for a covert access: nothing in it links to the case early.
  const keyed = (purpose: KeyedPurpose, value: string | null) =>
    value === null || value === ''
      ? null
      : input.hasher.keyed(purpose, covertUntil === null ? value : covertSubjectInput(value, covertUntil));
  const parts = splitSubjects(event.subjectHashes);
  const appends: AuditAppend[] = parts.map((subjects, index) => {
    const eventId = input.newEventId();
    const draft: AccessRecordDraft = {
      v: 2,
      node: input.node,
      eventId,
      at,
      decision,
      code,
      consumerCode: publicMemberCode(event.consumerCode),
      resourceCode: event.resourceCode,
      agreementId: publicAgreementId(event.agreementId),
      mode: event.mode,
      items: event.items,
      requestId: publicRequestId(event.requestId),
      requestDigest: keyed('request-digest', event.requestDigest),
      responseDigest: keyed('response-digest', responseDigest),
      officer: keyed('officer', event.officer),
      caseId: keyed('case', event.caseId),
      subjects,
      ...(parts.length > 1 ? { part: index + 1, parts: parts.length } : {}),
      ...(covertUntil === null ? {} : { covertUntil }),
    };
    return {
      event: {
        ...event,
        eventId,
        at,
        decision,
        code,
        providerCode: input.node,
        responseDigest,
        subjectHashes: subjects,
      },
      draft,
    };
  });
  return appends;
}
