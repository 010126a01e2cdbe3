/** Versioned migrations of the hub database; the same definitions run on SQLite and PostgreSQL. */
import { schemaMigrations } from '../../platform/db/schema';

export const hubMigrations = schemaMigrations({
  '2026_11_27_001_hub_registry': {
    createTables: {
      members: {
        code: 'varchar(32) primary key',
        name: 'text not null',
        role: 'varchar(16) not null',
        contact_json: 'text not null',
        created_at: 'varchar(32) not null',
      },
      member_keys: {
        id: 'varchar(64) primary key',
        member_code: 'varchar(32) not null references members.code',
        algorithm: 'varchar(16) not null',
        public_key: 'text not null',
        added_at: 'varchar(32) not null',
      },
      resources: {
        code: 'varchar(64) primary key',
        provider_code: 'varchar(32) not null references members.code',
        name: 'text not null',
        category: 'text not null',
        summary: 'text not null',
        format: 'varchar(16) not null',
        items_json: 'text not null',
        sharing_type: 'varchar(16) not null',
        sharing_conditions: 'text',
        legal_basis: 'text',
        access_modes_json: 'text not null',
        requires_superior_approval: 'integer not null',
        update_cycle: 'varchar(16) not null',
        published_at: 'varchar(10) not null',
        related_json: 'text not null',
        updated_at: 'varchar(32) not null',
      },
      agreements: {
        id: 'varchar(64) primary key',
        resource_code: 'varchar(64) not null references resources.code',
        consumer_code: 'varchar(32) not null references members.code',
        provider_code: 'varchar(32) not null references members.code',
        purpose: 'text not null',
        legal_basis: 'text not null',
        requested_json: 'text not null',
        granted_json: 'text',
        status: 'varchar(20) not null',
        valid_to: 'varchar(10)',
        applied_at: 'varchar(32) not null',
        due_at: 'varchar(32) not null',
        answered_at: 'varchar(32)',
        version: 'integer not null',
      },
      agreement_events: {
        agreement_id: 'varchar(64) not null references agreements.id',
        seq: 'integer not null',
        at: 'varchar(32) not null',
        actor_member: 'varchar(32) not null',
        actor_user: 'varchar(64)',
        action: 'varchar(20) not null',
        from_status: 'varchar(20)',
        to_status: 'varchar(20) not null',
        reason: 'text',
        'primary key': 'agreement_id, seq',
      },
      users: {
        username: 'varchar(64) primary key',
        member_code: 'varchar(32) not null references members.code',
        display_name: 'text not null',
        password_hash: 'text not null',
        roles_json: 'text not null',
        created_at: 'varchar(32) not null',
      },
      tokens: {
        token_digest: 'varchar(128) primary key',
        member_code: 'varchar(32) not null references members.code',
        username: 'varchar(64)',
        roles_json: 'text not null',
        label: 'text not null',
        created_at: 'varchar(32) not null',
        expires_at: 'varchar(32)',
      },
    },
    createIndexes: {
      resources_provider: 'resources (provider_code)',
      agreements_consumer: 'agreements (consumer_code, status)',
      agreements_provider: 'agreements (provider_code, status)',
      agreements_expiry: 'agreements (status, valid_to)',
    },
  },
  '2026_11_27_002_member_nodes': {
    addColumns: { members: { node_url: 'text' } },
  },
  '2026_11_27_003_ledger_cursors': {
    createTables: {
      ledger_cursors: {
        member_code: 'varchar(32) primary key',
        last_seq: 'bigint not null',
        updated_at: 'varchar(32) not null',
      },
    },
  },
  '2026_12_05_004_chained_shipping': {
    addColumns: { ledger_cursors: { last_hash: 'varchar(64)' } },
    createTables: {
      shipment_nonces: {
        key_id: 'varchar(128) not null',
        nonce: 'varchar(128) not null',
        expires_at: 'varchar(32) not null',
        'primary key': 'key_id, nonce',
      },
      access_details: {
        node: 'varchar(32) not null',
        seq: 'bigint not null',
        officer: 'varchar(64)',
        case_id: 'varchar(64)',
        'primary key': 'node, seq',
      },
    },
    createIndexes: { shipment_nonces_expiry: 'shipment_nonces (expires_at)' },
  },
  '2026_12_06_005_member_english_names': {
    addColumns: { members: { name_en: 'text' } },
  },
  '2026_12_06_006_one_time_passwords': {
    addColumns: {
      users: { must_change_password: 'integer not null default 0' },
      tokens: { password_change_only: 'integer not null default 0' },
    },
  },
  // When each clear officer/case detail arrived, so that it is deleted once its retention has passed.
  '2026_12_06_007_access_details_retention': {
    addColumns: { access_details: { recorded_at: 'varchar(32)' } },
    createIndexes: { access_details_recorded: 'access_details (recorded_at)' },
  },
});
