/** Versioned migrations of a node's own tables, for SQLite and PostgreSQL. */
import { schemaMigrations } from '../../platform/db/schema';

export const nodeMigrations = schemaMigrations({
  '2026_11_27_001_node': {
    createTables: {
      node_agreements: {
        id: 'varchar(64) primary key',
        consumer_code: 'varchar(32) not null',
        provider_code: 'varchar(32) not null',
        resource_code: 'varchar(64) not null',
        status: 'varchar(20) not null',
        version: 'integer not null',
        agreement_json: 'text not null',
        confirmed_at: 'varchar(32) not null',
      },
      node_sync: {
        name: 'varchar(32) primary key',
        confirmed_at: 'varchar(32) not null',
      },
      node_audit: {
        seq: 'bigint primary key',
        event_id: 'varchar(64) not null unique',
        at: 'varchar(32) not null',
        decision: 'varchar(8) not null',
        code: 'varchar(48)',
        consumer_code: 'varchar(32) not null',
        provider_code: 'varchar(32) not null',
        resource_code: 'varchar(64)',
        agreement_id: 'varchar(64)',
        mode: 'varchar(16)',
        items_json: 'text not null',
        purpose: 'text',
        officer: 'varchar(64)',
        case_id: 'varchar(64)',
        request_id: 'varchar(64)',
        request_digest: 'varchar(128)',
        response_digest: 'varchar(128)',
        subject_hashes_json: 'text not null',
        // The signature nonce travels with the event: the node's memory of used nonces is rebuilt from here.
        signer_key: 'varchar(96)',
        nonce: 'varchar(128)',
      },
    },
    createIndexes: { node_audit_at: 'node_audit (at)' },
    // The audit trail is append-only in the database itself, not just by convention.
    appendOnly: { guard: 'node_audit_append_only', tables: ['node_audit'] },
  },
  '2026_11_27_002_witness': {
    createTables: {
      node_witness: {
        origin: 'varchar(200) primary key',
        size: 'bigint not null',
        root: 'varchar(64) not null',
        updated_at: 'varchar(32) not null',
      },
    },
  },
  '2026_12_01_003_covert': {
    addColumns: { node_audit: { covert_until: 'varchar(10)' } },
  },
  '2026_12_05_004_chained_records': {
    addColumns: { node_audit: { record_json: 'text', record_hash: 'varchar(64)' } },
  },
  '2026_12_05_005_verify_questions': {
    createTables: {
      // Which distinct verify questions a consumer asked about one subject under one agreement on one day
      // (keyed hashes only): the node's daily budget against probing survives a restart.
      node_verify_questions: {
        day: 'varchar(10) not null',
        agreement_id: 'varchar(64) not null',
        subject_hash: 'varchar(128) not null',
        question_hash: 'varchar(128) not null',
        'primary key': 'day, agreement_id, subject_hash, question_hash',
      },
    },
  },
});
