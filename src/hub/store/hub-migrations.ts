/** Versioned migrations of the hub database; the same definitions run on SQLite and PostgreSQL. */
import type { Kysely, Migration, MigrationProvider } from 'kysely';

const migrations: Record<string, Migration> = {
  '2026_11_27_001_hub_registry': {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('members')
        .addColumn('code', 'varchar(32)', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('role', 'varchar(16)', (c) => c.notNull())
        .addColumn('contact_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('member_keys')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('member_code', 'varchar(32)', (c) => c.notNull().references('members.code'))
        .addColumn('algorithm', 'varchar(16)', (c) => c.notNull())
        .addColumn('public_key', 'text', (c) => c.notNull())
        .addColumn('added_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('resources')
        .addColumn('code', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('provider_code', 'varchar(32)', (c) => c.notNull().references('members.code'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('category', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('format', 'varchar(16)', (c) => c.notNull())
        .addColumn('items_json', 'text', (c) => c.notNull())
        .addColumn('sharing_type', 'varchar(16)', (c) => c.notNull())
        .addColumn('sharing_conditions', 'text')
        .addColumn('legal_basis', 'text')
        .addColumn('access_modes_json', 'text', (c) => c.notNull())
        .addColumn('requires_superior_approval', 'integer', (c) => c.notNull())
        .addColumn('update_cycle', 'varchar(16)', (c) => c.notNull())
        .addColumn('published_at', 'varchar(10)', (c) => c.notNull())
        .addColumn('related_json', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema.createIndex('resources_provider').on('resources').column('provider_code').execute();
      await db.schema
        .createTable('agreements')
        .addColumn('id', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('resource_code', 'varchar(64)', (c) => c.notNull().references('resources.code'))
        .addColumn('consumer_code', 'varchar(32)', (c) => c.notNull().references('members.code'))
        .addColumn('provider_code', 'varchar(32)', (c) => c.notNull().references('members.code'))
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('legal_basis', 'text', (c) => c.notNull())
        .addColumn('requested_json', 'text', (c) => c.notNull())
        .addColumn('granted_json', 'text')
        .addColumn('status', 'varchar(20)', (c) => c.notNull())
        .addColumn('valid_to', 'varchar(10)')
        .addColumn('applied_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('due_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('answered_at', 'varchar(32)')
        .addColumn('version', 'integer', (c) => c.notNull())
        .execute();
      await db.schema
        .createIndex('agreements_consumer')
        .on('agreements')
        .columns(['consumer_code', 'status'])
        .execute();
      await db.schema
        .createIndex('agreements_provider')
        .on('agreements')
        .columns(['provider_code', 'status'])
        .execute();
      await db.schema.createIndex('agreements_expiry').on('agreements').columns(['status', 'valid_to']).execute();
      await db.schema
        .createTable('agreement_events')
        .addColumn('agreement_id', 'varchar(64)', (c) => c.notNull().references('agreements.id'))
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addColumn('at', 'varchar(32)', (c) => c.notNull())
        .addColumn('actor_member', 'varchar(32)', (c) => c.notNull())
        .addColumn('actor_user', 'varchar(64)')
        .addColumn('action', 'varchar(20)', (c) => c.notNull())
        .addColumn('from_status', 'varchar(20)')
        .addColumn('to_status', 'varchar(20)', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addPrimaryKeyConstraint('agreement_events_pk', ['agreement_id', 'seq'])
        .execute();
      await db.schema
        .createTable('users')
        .addColumn('username', 'varchar(64)', (c) => c.primaryKey())
        .addColumn('member_code', 'varchar(32)', (c) => c.notNull().references('members.code'))
        .addColumn('display_name', 'text', (c) => c.notNull())
        .addColumn('password_hash', 'text', (c) => c.notNull())
        .addColumn('roles_json', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .execute();
      await db.schema
        .createTable('tokens')
        .addColumn('token_digest', 'varchar(128)', (c) => c.primaryKey())
        .addColumn('member_code', 'varchar(32)', (c) => c.notNull().references('members.code'))
        .addColumn('username', 'varchar(64)')
        .addColumn('roles_json', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
        .addColumn('expires_at', 'varchar(32)')
        .execute();
    },
    async down(db: Kysely<unknown>) {
      for (const table of [
        'tokens',
        'users',
        'agreement_events',
        'agreements',
        'resources',
        'member_keys',
        'members',
      ]) {
        await db.schema.dropTable(table).execute();
      }
    },
  },
};

migrations['2026_11_27_002_member_nodes'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('members').addColumn('node_url', 'text').execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.alterTable('members').dropColumn('node_url').execute();
  },
};

migrations['2026_11_27_003_ledger_cursors'] = {
  async up(db: Kysely<unknown>) {
    await db.schema
      .createTable('ledger_cursors')
      .addColumn('member_code', 'varchar(32)', (c) => c.primaryKey())
      .addColumn('last_seq', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('ledger_cursors').execute();
  },
};

migrations['2026_12_05_004_chained_shipping'] = {
  async up(db: Kysely<unknown>) {
    await db.schema.alterTable('ledger_cursors').addColumn('last_hash', 'varchar(64)').execute();
    await db.schema
      .createTable('shipment_nonces')
      .addColumn('key_id', 'varchar(128)', (c) => c.notNull())
      .addColumn('nonce', 'varchar(128)', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)', (c) => c.notNull())
      .addPrimaryKeyConstraint('shipment_nonces_pk', ['key_id', 'nonce'])
      .execute();
    await db.schema.createIndex('shipment_nonces_expiry').on('shipment_nonces').column('expires_at').execute();
    await db.schema
      .createTable('access_details')
      .addColumn('node', 'varchar(32)', (c) => c.notNull())
      .addColumn('seq', 'bigint', (c) => c.notNull())
      .addColumn('officer', 'varchar(64)')
      .addColumn('case_id', 'varchar(64)')
      .addPrimaryKeyConstraint('access_details_pk', ['node', 'seq'])
      .execute();
  },
  async down(db: Kysely<unknown>) {
    await db.schema.dropTable('access_details').execute();
    await db.schema.dropTable('shipment_nonces').execute();
    await db.schema.alterTable('ledger_cursors').dropColumn('last_hash').execute();
  },
};

export const hubMigrations: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
