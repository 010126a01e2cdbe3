/** Tables a node keeps next to its data tables: its copy of agreements, its audit events, used nonces. */
export interface NodeAgreementsTable {
  id: string;
  consumer_code: string;
  provider_code: string;
  resource_code: string;
  status: string;
  version: number;
  agreement_json: string;
  confirmed_at: string;
}

export interface NodeSyncTable {
  name: string;
  confirmed_at: string;
}

export interface NodeAuditTable {
  seq: number;
  event_id: string;
  at: string;
  decision: string;
  code: string | null;
  consumer_code: string;
  provider_code: string;
  resource_code: string | null;
  agreement_id: string | null;
  mode: string | null;
  items_json: string;
  purpose: string | null;
  officer: string | null;
  case_id: string | null;
  request_id: string | null;
  request_digest: string | null;
  response_digest: string | null;
  subject_hashes_json: string;
  signer_key: string | null;
  nonce: string | null;
  covert_until: string | null;
  /** The public record (canonical JSON) the node chains, seals and ships; its SHA-256 in base64. */
  record_json: string | null;
  record_hash: string | null;
}

export interface NodeWitnessTable {
  origin: string;
  size: number;
  root: string;
  updated_at: string;
}

export interface NodeVerifyQuestionsTable {
  day: string;
  agreement_id: string;
  subject_hash: string;
  question_hash: string;
}

export interface NodeDatabase {
  node_verify_questions: NodeVerifyQuestionsTable;
  node_agreements: NodeAgreementsTable;
  node_sync: NodeSyncTable;
  node_audit: NodeAuditTable;
  node_witness: NodeWitnessTable;
}
