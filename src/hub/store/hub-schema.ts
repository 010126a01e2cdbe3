/**
 * Table shapes of the hub's database, and the rows of resources and agreements as the store writes and
 * reads them. JSON lives in text columns so one schema fits SQLite and PostgreSQL.
 */
import type { Generated } from 'kysely';
import type { Selectable } from 'kysely';
import type { Agreement } from '../../core/agreements/agreement';
import type { AccessMode, Resource } from '../../core/catalog/resource';

export interface MembersTable {
  code: string;
  name: string;
  name_en: string | null;
  role: string;
  contact_json: string;
  node_url: string | null;
  created_at: string;
}

export interface MemberKeysTable {
  id: string;
  member_code: string;
  algorithm: string;
  public_key: string;
  added_at: string;
}

export interface ResourcesTable {
  code: string;
  provider_code: string;
  name: string;
  category: string;
  summary: string;
  format: string;
  items_json: string;
  sharing_type: string;
  sharing_conditions: string | null;
  legal_basis: string | null;
  access_modes_json: string;
  requires_superior_approval: number;
  update_cycle: string;
  published_at: string;
  related_json: string;
  updated_at: string;
}

export interface AgreementsTable {
  id: string;
  resource_code: string;
  consumer_code: string;
  provider_code: string;
  purpose: string;
  legal_basis: string;
  requested_json: string;
  granted_json: string | null;
  status: string;
  valid_to: string | null;
  applied_at: string;
  due_at: string;
  answered_at: string | null;
  version: number;
}

export interface AgreementEventsTable {
  agreement_id: string;
  seq: number;
  at: string;
  actor_member: string;
  actor_user: string | null;
  action: string;
  from_status: string | null;
  to_status: string;
  reason: string | null;
}

export interface UsersTable {
  username: string;
  member_code: string;
  display_name: string;
  password_hash: string;
  roles_json: string;
  created_at: string;
  must_change_password: Generated<number>;
}

export interface TokensTable {
  token_digest: string;
  member_code: string;
  username: string | null;
  roles_json: string;
  label: string;
  created_at: string;
  expires_at: string | null;
  password_change_only: Generated<number>;
}

export interface LedgerCursorsTable {
  member_code: string;
  last_seq: number;
  /** Hash of the node's record at last_seq (base64 SHA-256); null before the first chained record. */
  last_hash: string | null;
  updated_at: string;
}

/** Shipment signatures' nonces, kept while their signature could still be accepted (replay guard). */
export interface ShipmentNoncesTable {
  key_id: string;
  nonce: string;
  expires_at: string;
}

/** Clear officer and case of logged access records: for the auditor's audited view, never public. */
export interface AccessDetailsTable {
  node: string;
  seq: number;
  officer: string | null;
  case_id: string | null;
  /** When the detail arrived; null for details kept before retention was recorded (never deleted). */
  recorded_at: string | null;
}

export interface HubDatabase {
  members: MembersTable;
  member_keys: MemberKeysTable;
  resources: ResourcesTable;
  agreements: AgreementsTable;
  agreement_events: AgreementEventsTable;
  users: UsersTable;
  tokens: TokensTable;
  ledger_cursors: LedgerCursorsTable;
  shipment_nonces: ShipmentNoncesTable;
  access_details: AccessDetailsTable;
}

export function resourceRow(resource: Resource, now: string): ResourcesTable {
  return {
    code: resource.code,
    provider_code: resource.providerCode,
    name: resource.name,
    category: resource.category,
    summary: resource.summary,
    format: resource.format,
    items_json: JSON.stringify(resource.items),
    sharing_type: resource.sharingType,
    sharing_conditions: resource.sharingConditions,
    legal_basis: resource.legalBasis,
    access_modes_json: JSON.stringify(resource.accessModes),
    requires_superior_approval: resource.requiresSuperiorApproval ? 1 : 0,
    update_cycle: resource.updateCycle,
    published_at: resource.publishedAt,
    related_json: JSON.stringify(resource.relatedResources),
    updated_at: now,
  };
}

export function toResource(row: Selectable<ResourcesTable>): Resource {
  return {
    code: row.code,
    providerCode: row.provider_code,
    name: row.name,
    category: row.category,
    summary: row.summary,
    format: row.format as Resource['format'],
    items: JSON.parse(row.items_json),
    sharingType: row.sharing_type as Resource['sharingType'],
    sharingConditions: row.sharing_conditions,
    legalBasis: row.legal_basis,
    accessModes: JSON.parse(row.access_modes_json) as AccessMode[],
    requiresSuperiorApproval: Number(row.requires_superior_approval) === 1,
    updateCycle: row.update_cycle as Resource['updateCycle'],
    publishedAt: row.published_at,
    relatedResources: JSON.parse(row.related_json),
  };
}

export function agreementRow(agreement: Agreement): AgreementsTable {
  return {
    id: agreement.id,
    resource_code: agreement.resourceCode,
    consumer_code: agreement.consumerCode,
    provider_code: agreement.providerCode,
    purpose: agreement.purpose,
    legal_basis: agreement.legalBasis,
    requested_json: JSON.stringify(agreement.requested),
    granted_json: agreement.granted ? JSON.stringify(agreement.granted) : null,
    status: agreement.status,
    valid_to: agreement.granted?.validTo ?? null,
    applied_at: agreement.appliedAt,
    due_at: agreement.dueAt,
    answered_at: agreement.answeredAt,
    version: agreement.version,
  };
}
