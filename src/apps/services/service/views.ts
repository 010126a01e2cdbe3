/**
 * What 一网通办 shows of an application: to the applicant (masked identity, decision, reasons, benefit,
 * certificate) and to counter staff (plus channel, attempts and the questions asked, never the answers).
 */
import type { BenefitOutcome, AskedFact, Reason } from './engine';
import { decodeCertificate, qrPng, qrSvg } from './certificates';
import type { ItemDefinition } from './definition';
import type { ApplicationRow, ApplicationStatus, Channel, ServicesStore } from '../store/store';

export interface CertificateView {
  number: string;
  title: string;
  titleEn: string | null;
  holderName: string;
  birthDate: string;
  issueDate: string;
  validUntil: string | null;
  tier: string | null;
  issuer: string;
  issuerCode: string;
  keyId: string;
  /** The signed payload the QR code carries; `hutong cert verify` checks it offline. */
  payload: string;
  qr?: { svg: string; png: string } | undefined;
}

export interface ApplicationView {
  id: string;
  item: { id: string; name: string; nameEn: string | null; noApplication: boolean };
  status: ApplicationStatus;
  decision: 'approved' | 'rejected' | null;
  reasons: Reason[];
  benefit: BenefitOutcome | null;
  certificate: CertificateView | null;
  applicant: { idMasked: string; nameMasked: string };
  asOf: string;
  submittedAt: string;
  decidedAt: string | null;
  decidedInstantly: boolean;
  /** What the applicant is told while the application waits for verification. */
  message: string | null;
  messageEn: string | null;
  /** Only in the answer to the submission: the secret that lets the applicant look the application up. */
  receipt?: string | undefined;
}

export interface StaffApplicationView extends ApplicationView {
  channel: Channel;
  officer: string | null;
  attempts: number;
  lastError: string | null;
  nextAttemptAt: string | null;
  documentsSaved: number;
  tripsSaved: number;
  /** The questions asked (department, request ID for the audit trail); the answers are not shown. */
  checks: { fact: string; resource: string | null; requestId: string | null }[];
}

const pendingMessage =
  '部门核验服务暂时无法连接。您的申请已受理并保存，无需重新提交；系统将自动重试核验，核验完成后即时办结，届时可凭办件号查询结果。';
const pendingMessageEn =
  'A department could not be reached to check your application. It has been received and saved — no need to ' +
  'apply again; the checks will be retried automatically and the application decided as soon as they complete.';

const inProgressMessage = '您的申请正在核验中，请稍候凭办件号查询结果。';
const inProgressMessageEn = 'Your application is being checked; look it up again in a moment.';

export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`;
}

export function maskName(name: string): string {
  const chars = Array.from(name);
  return chars.length <= 1 ? '*' : `${chars[0]}${'*'.repeat(chars.length - 1)}`;
}

/** An application as the applicant sees it (a certificate with its QR code when `withQr`). */
export async function applicationView(
  store: ServicesStore,
  row: ApplicationRow,
  def: ItemDefinition,
  withQr: boolean,
): Promise<ApplicationView> {
  let certificate: CertificateView | null = null;
  if (row.certificate_no && def.certificate) {
    const stored = await store.getCertificate(row.certificate_no);
    if (stored) {
      const fields = decodeCertificate(stored.payload);
      certificate = {
        number: fields.number,
        title: def.certificate.title,
        titleEn: def.certificate.titleEn ?? null,
        holderName: fields.holderName,
        birthDate: fields.birthDate,
        issueDate: fields.issueDate,
        validUntil: fields.validUntil,
        tier: fields.tier,
        issuer: fields.issuerName,
        issuerCode: fields.issuerCode,
        keyId: fields.keyId,
        payload: stored.payload,
        ...(withQr
          ? {
              qr: {
                svg: await qrSvg(stored.payload),
                png: `data:image/png;base64,${(await qrPng(stored.payload)).toString('base64')}`,
              },
            }
          : {}),
      };
    }
  }
  const pending = row.status === 'pending_verification';
  const waiting = pending && row.last_error !== null;
  return {
    id: row.id,
    item: { id: def.id, name: def.name, nameEn: def.nameEn ?? null, noApplication: def.noApplication },
    status: row.status,
    decision: pending ? null : (row.status as 'approved' | 'rejected'),
    reasons: JSON.parse(row.reasons_json) as Reason[],
    benefit: row.benefit_json ? (JSON.parse(row.benefit_json) as BenefitOutcome) : null,
    certificate,
    applicant: { idMasked: row.id_masked, nameMasked: row.name_masked },
    asOf: row.as_of,
    submittedAt: row.submitted_at,
    decidedAt: row.decided_at,
    decidedInstantly: Number(row.decided_instantly) === 1,
    message: waiting ? pendingMessage : pending ? inProgressMessage : null,
    messageEn: waiting ? pendingMessageEn : pending ? inProgressMessageEn : null,
  };
}

/** An application as counter staff see it: with its channel, attempts and the questions asked. */
export async function staffApplicationView(
  store: ServicesStore,
  row: ApplicationRow,
  def: ItemDefinition,
  withQr: boolean,
): Promise<StaffApplicationView> {
  const view = await applicationView(store, row, def, withQr);
  const asked = JSON.parse(row.asked_json) as AskedFact[];
  return {
    ...view,
    channel: row.channel,
    officer: row.officer,
    attempts: Number(row.attempts),
    lastError: row.last_error,
    nextAttemptAt: row.next_attempt_at,
    documentsSaved: Number(row.documents_saved),
    tripsSaved: Number(row.trips_saved),
    checks: asked
      .filter((fact) => fact.source === 'exchange')
      .map((fact) => ({ fact: fact.fact, resource: fact.resource, requestId: fact.requestId })),
  };
}
