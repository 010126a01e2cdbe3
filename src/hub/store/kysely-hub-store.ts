/** The hub's store on Kysely: one implementation for SQLite and PostgreSQL. */
import { type Kysely, type Selectable, sql } from 'kysely';
import type { Agreement, AgreementEvent, AgreementStatus, Terms } from '../../core/agreements/agreement';
import type { UserRole } from '../../core/auth/principal';
import type { Resource, ResourceFilter } from '../../core/catalog/resource';
import { HutongError } from '../../core/errors';
import type { KeyAlgorithm, Member, MemberRole } from '../../core/members/member';
import type {
  AccessDetail,
  AgreementFilter,
  HubStore,
  Page,
  PageRequest,
  TokenRecord,
  UserRecord,
} from '../../core/ports/hub-store';
import type { ChainCursor } from '../../core/audit/shipment';
import { type AgreementsTable, agreementRow, type HubDatabase, resourceRow, toResource } from './hub-schema';
import { MigratedStore } from '../../platform/db/migrate';
import { hubMigrations } from './hub-migrations';

export class KyselyHubStore extends MigratedStore<HubDatabase> implements HubStore {
  constructor(db: Kysely<HubDatabase>) {
    super(db, hubMigrations, 'kysely_migration');
  }

  async insertMember(member: Omit<Member, 'publicKeys' | 'nodeUrl'>): Promise<void> {
    const existing = await this.db
      .selectFrom('members')
      .select('code')
      .where('code', '=', member.code)
      .executeTakeFirst();
    if (existing) throw new HutongError('MEMBER_EXISTS', `成员单位 ${member.code} 已存在`);
    await this.db
      .insertInto('members')
      .values({
        code: member.code,
        name: member.name,
        name_en: member.nameEn,
        role: member.role,
        contact_json: JSON.stringify(member.contact),
        node_url: null,
        created_at: member.createdAt,
      })
      .execute();
  }

  async updateMember(
    code: string,
    changes: { name?: string; nameEn?: string | null; contact?: Member['contact']; nodeUrl?: string | null },
  ): Promise<void> {
    const values: { name?: string; name_en?: string | null; contact_json?: string; node_url?: string | null } = {};
    if (changes.name !== undefined) values.name = changes.name;
    if (changes.nameEn !== undefined) values.name_en = changes.nameEn;
    if (changes.contact !== undefined) values.contact_json = JSON.stringify(changes.contact);
    if (changes.nodeUrl !== undefined) values.node_url = changes.nodeUrl;
    if (Object.keys(values).length === 0) return;
    await this.db.updateTable('members').set(values).where('code', '=', code).execute();
  }

  async addMemberKey(memberCode: string, key: Member['publicKeys'][number]): Promise<void> {
    await this.db
      .insertInto('member_keys')
      .values({
        id: key.id,
        member_code: memberCode,
        algorithm: key.algorithm,
        public_key: key.publicKey,
        added_at: key.addedAt,
      })
      .execute();
  }

  private async membersWithKeys(codes?: string[]): Promise<Member[]> {
    let memberQuery = this.db.selectFrom('members').selectAll().orderBy('code');
    let keyQuery = this.db.selectFrom('member_keys').selectAll().orderBy('added_at').orderBy('id');
    if (codes) {
      memberQuery = memberQuery.where('code', 'in', codes);
      keyQuery = keyQuery.where('member_code', 'in', codes);
    }
    const [rows, keys] = await Promise.all([memberQuery.execute(), keyQuery.execute()]);
    return rows.map((row) => ({
      code: row.code,
      name: row.name,
      nameEn: row.name_en,
      role: row.role as MemberRole,
      contact: JSON.parse(row.contact_json),
      nodeUrl: row.node_url,
      createdAt: row.created_at,
      publicKeys: keys
        .filter((key) => key.member_code === row.code)
        .map((key) => ({
          id: key.id,
          algorithm: key.algorithm as KeyAlgorithm,
          publicKey: key.public_key,
          addedAt: key.added_at,
        })),
    }));
  }

  async getMember(code: string): Promise<Member | undefined> {
    const [member] = await this.membersWithKeys([code]);
    return member;
  }

  listMembers(): Promise<Member[]> {
    return this.membersWithKeys();
  }

  async insertResource(resource: Resource, now: string): Promise<void> {
    const existing = await this.db
      .selectFrom('resources')
      .select('code')
      .where('code', '=', resource.code)
      .executeTakeFirst();
    if (existing) throw new HutongError('RESOURCE_EXISTS', `资源 ${resource.code} 已存在`);
    await this.db.insertInto('resources').values(resourceRow(resource, now)).execute();
  }

  async updateResource(resource: Resource, now: string): Promise<void> {
    const { code, ...rest } = resourceRow(resource, now);
    const result = await this.db.updateTable('resources').set(rest).where('code', '=', code).executeTakeFirst();
    if (Number(result.numUpdatedRows) === 0) throw new HutongError('RESOURCE_NOT_FOUND', `资源 ${code} 不存在`);
  }

  async getResource(code: string): Promise<Resource | undefined> {
    const row = await this.db.selectFrom('resources').selectAll().where('code', '=', code).executeTakeFirst();
    return row ? toResource(row) : undefined;
  }

  async searchResources(filter: ResourceFilter, page: PageRequest): Promise<Page<Resource>> {
    let query = this.db.selectFrom('resources');
    if (filter.provider) query = query.where('provider_code', '=', filter.provider);
    if (filter.sharingType) query = query.where('sharing_type', '=', filter.sharingType);
    if (filter.mode) query = query.where('access_modes_json', 'like', `%"${filter.mode}"%`);
    if (filter.q?.trim()) {
      const pattern = `%${filter.q
        .trim()
        .toLowerCase()
        .replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where((eb) =>
        eb.or(
          (['code', 'name', 'summary', 'items_json', 'category'] as const).map(
            (column) => sql<boolean>`lower(${sql.ref(column)}) like ${pattern} escape '\\'`,
          ),
        ),
      );
    }
    const { total } = await query.select((eb) => eb.fn.countAll().as('total')).executeTakeFirstOrThrow();
    const rows = await query
      .selectAll()
      .orderBy('provider_code')
      .orderBy('code')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute();
    return { items: rows.map(toResource), total: Number(total), page: page.page, pageSize: page.pageSize };
  }

  async listResources(): Promise<Resource[]> {
    const rows = await this.db.selectFrom('resources').selectAll().orderBy('code').execute();
    return rows.map(toResource);
  }

  /** Runs `work` in a transaction, or in the one this store is bound to (see the composition root). */
  private inTransaction<T>(work: (trx: Kysely<HubDatabase>) => Promise<T>): Promise<T> {
    return this.db.isTransaction ? work(this.db) : this.db.transaction().execute(work);
  }

  async insertAgreement(agreement: Agreement): Promise<void> {
    await this.inTransaction(async (trx) => {
      await trx.insertInto('agreements').values(agreementRow(agreement)).execute();
      await this.insertEvents(trx, agreement.id, agreement.history, 0);
    });
  }

  private async insertEvents(
    db: Kysely<HubDatabase>,
    agreementId: string,
    events: AgreementEvent[],
    fromSeq: number,
  ): Promise<void> {
    const fresh = events.slice(fromSeq);
    if (fresh.length === 0) return;
    await db
      .insertInto('agreement_events')
      .values(
        fresh.map((event, index) => ({
          agreement_id: agreementId,
          seq: fromSeq + index + 1,
          at: event.at,
          actor_member: event.actorMember,
          actor_user: event.actorUser,
          action: event.action,
          from_status: event.fromStatus,
          to_status: event.toStatus,
          reason: event.reason,
        })),
      )
      .execute();
  }

  async saveAgreement(next: Agreement): Promise<void> {
    await this.inTransaction(async (trx) => {
      const { id, ...rest } = agreementRow(next);
      const result = await trx
        .updateTable('agreements')
        .set(rest)
        .where('id', '=', id)
        .where('version', '=', next.version - 1)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) {
        throw new HutongError('CONCURRENT_UPDATE', `协议 ${id} 已被他人修改`);
      }
      const { stored } = await trx
        .selectFrom('agreement_events')
        .select((eb) => eb.fn.countAll().as('stored'))
        .where('agreement_id', '=', id)
        .executeTakeFirstOrThrow();
      await this.insertEvents(trx, id, next.history, Number(stored));
    });
  }

  private async hydrate(rows: Selectable<AgreementsTable>[]): Promise<Agreement[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.id);
    const events = await this.db
      .selectFrom('agreement_events')
      .selectAll()
      .where('agreement_id', 'in', ids)
      .orderBy('agreement_id')
      .orderBy('seq')
      .execute();
    const byAgreement = new Map<string, AgreementEvent[]>();
    for (const event of events) {
      const list = byAgreement.get(event.agreement_id) ?? [];
      list.push({
        at: event.at,
        actorMember: event.actor_member,
        actorUser: event.actor_user,
        action: event.action as AgreementEvent['action'],
        fromStatus: event.from_status as AgreementStatus | null,
        toStatus: event.to_status as AgreementStatus,
        reason: event.reason,
      });
      byAgreement.set(event.agreement_id, list);
    }
    return rows.map((row) => ({
      id: row.id,
      resourceCode: row.resource_code,
      consumerCode: row.consumer_code,
      providerCode: row.provider_code,
      purpose: row.purpose,
      legalBasis: row.legal_basis,
      requested: JSON.parse(row.requested_json) as Terms,
      granted: row.granted_json ? (JSON.parse(row.granted_json) as Terms) : null,
      status: row.status as AgreementStatus,
      appliedAt: row.applied_at,
      dueAt: row.due_at,
      answeredAt: row.answered_at,
      history: byAgreement.get(row.id) ?? [],
      version: Number(row.version),
    }));
  }

  async getAgreement(id: string): Promise<Agreement | undefined> {
    const row = await this.db.selectFrom('agreements').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return undefined;
    const [agreement] = await this.hydrate([row]);
    return agreement;
  }

  async listAgreements(filter: AgreementFilter, page: PageRequest): Promise<Page<Agreement>> {
    let query = this.db.selectFrom('agreements');
    const member = filter.memberCode;
    if (member) {
      if (filter.side === 'consumer') query = query.where('consumer_code', '=', member);
      else if (filter.side === 'provider') query = query.where('provider_code', '=', member);
      else query = query.where((eb) => eb.or([eb('consumer_code', '=', member), eb('provider_code', '=', member)]));
    }
    if (filter.status) query = query.where('status', '=', filter.status);
    if (filter.resourceCode) query = query.where('resource_code', '=', filter.resourceCode);
    const { total } = await query.select((eb) => eb.fn.countAll().as('total')).executeTakeFirstOrThrow();
    const rows = await query
      .selectAll()
      .orderBy('applied_at', 'desc')
      .orderBy('id')
      .limit(page.pageSize)
      .offset((page.page - 1) * page.pageSize)
      .execute();
    return { items: await this.hydrate(rows), total: Number(total), page: page.page, pageSize: page.pageSize };
  }

  async allAgreements(): Promise<Agreement[]> {
    const rows = await this.db.selectFrom('agreements').selectAll().orderBy('applied_at').orderBy('id').execute();
    return this.hydrate(rows);
  }

  async agreementsDueToExpire(today: string): Promise<Agreement[]> {
    const rows = await this.db
      .selectFrom('agreements')
      .selectAll()
      .where('status', 'in', ['active', 'suspended'])
      .where('valid_to', '<', today)
      .execute();
    return this.hydrate(rows);
  }

  async insertUser(user: UserRecord): Promise<void> {
    const existing = await this.getUser(user.username);
    if (existing) throw new HutongError('USER_EXISTS', `用户 ${user.username} 已存在`);
    await this.db
      .insertInto('users')
      .values({
        username: user.username,
        member_code: user.memberCode,
        display_name: user.displayName,
        password_hash: user.passwordHash,
        roles_json: JSON.stringify(user.roles),
        created_at: user.createdAt,
        must_change_password: user.mustChangePassword ? 1 : 0,
      })
      .execute();
  }

  async replacePassword(username: string, passwordHash: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .updateTable('users')
        .set({ password_hash: passwordHash, must_change_password: 0 })
        .where('username', '=', username)
        .execute();
      await trx.deleteFrom('tokens').where('username', '=', username).execute();
    });
  }

  async getUser(username: string): Promise<UserRecord | undefined> {
    const row = await this.db.selectFrom('users').selectAll().where('username', '=', username).executeTakeFirst();
    return row
      ? {
          username: row.username,
          memberCode: row.member_code,
          displayName: row.display_name,
          passwordHash: row.password_hash,
          roles: JSON.parse(row.roles_json) as UserRole[],
          createdAt: row.created_at,
          mustChangePassword: Number(row.must_change_password) === 1,
        }
      : undefined;
  }

  async listUsers(memberCode: string): Promise<UserRecord[]> {
    const rows = await this.db
      .selectFrom('users')
      .select('username')
      .where('member_code', '=', memberCode)
      .orderBy('username')
      .execute();
    const users = await Promise.all(rows.map((row) => this.getUser(row.username)));
    return users.filter((user): user is UserRecord => user !== undefined);
  }

  async ledgerCursor(memberCode: string): Promise<ChainCursor> {
    const row = await this.db
      .selectFrom('ledger_cursors')
      .select(['last_seq', 'last_hash'])
      .where('member_code', '=', memberCode)
      .executeTakeFirst();
    return row ? { lastSeq: Number(row.last_seq), lastHash: row.last_hash } : { lastSeq: 0, lastHash: null };
  }

  async setLedgerCursor(memberCode: string, cursor: ChainCursor, at: string): Promise<void> {
    const values = { last_seq: cursor.lastSeq, last_hash: cursor.lastHash, updated_at: at };
    await this.db
      .insertInto('ledger_cursors')
      .values({ member_code: memberCode, ...values })
      .onConflict((conflict) => conflict.column('member_code').doUpdateSet(values))
      .execute();
  }

  async claimShipmentNonce(keyId: string, nonce: string, expiresAt: string, now: string): Promise<boolean> {
    await this.db.deleteFrom('shipment_nonces').where('expires_at', '<', now).execute();
    const inserted = await this.db
      .insertInto('shipment_nonces')
      .values({ key_id: keyId, nonce, expires_at: expiresAt })
      .onConflict((conflict) => conflict.columns(['key_id', 'nonce']).doNothing())
      .executeTakeFirst();
    return Number(inserted.numInsertedOrUpdatedRows ?? 0) === 1;
  }

  async insertAccessDetails(node: string, details: readonly AccessDetail[], recordedAt: string): Promise<void> {
    const rows = details
      .filter((detail) => detail.officer !== null || detail.caseId !== null)
      .map((detail) => ({
        node,
        seq: detail.seq,
        officer: detail.officer,
        case_id: detail.caseId,
        recorded_at: recordedAt,
      }));
    for (let start = 0; start < rows.length; start += 500) {
      await this.db
        .insertInto('access_details')
        .values(rows.slice(start, start + 500))
        .onConflict((conflict) => conflict.columns(['node', 'seq']).doNothing())
        .execute();
    }
  }

  async pruneAccessDetails(before: string): Promise<number> {
    const deleted = await this.db.deleteFrom('access_details').where('recorded_at', '<', before).executeTakeFirst();
    return Number(deleted.numDeletedRows);
  }

  async accessDetail(node: string, seq: number): Promise<AccessDetail | undefined> {
    const row = await this.db
      .selectFrom('access_details')
      .selectAll()
      .where('node', '=', node)
      .where('seq', '=', seq)
      .executeTakeFirst();
    return row ? { seq: Number(row.seq), officer: row.officer, caseId: row.case_id } : undefined;
  }

  async insertToken(token: TokenRecord): Promise<void> {
    await this.db
      .insertInto('tokens')
      .values({
        token_digest: token.tokenDigest,
        member_code: token.memberCode,
        username: token.username,
        roles_json: JSON.stringify(token.roles),
        label: token.label,
        created_at: token.createdAt,
        expires_at: token.expiresAt,
        password_change_only: token.passwordChangeOnly ? 1 : 0,
      })
      .execute();
  }

  async findToken(tokenDigest: string): Promise<TokenRecord | undefined> {
    const row = await this.db
      .selectFrom('tokens')
      .selectAll()
      .where('token_digest', '=', tokenDigest)
      .executeTakeFirst();
    return row
      ? {
          tokenDigest: row.token_digest,
          memberCode: row.member_code,
          username: row.username,
          roles: JSON.parse(row.roles_json) as UserRole[],
          label: row.label,
          createdAt: row.created_at,
          expiresAt: row.expires_at,
          passwordChangeOnly: Number(row.password_change_only) === 1,
        }
      : undefined;
  }

  async deleteToken(tokenDigest: string): Promise<void> {
    await this.db.deleteFrom('tokens').where('token_digest', '=', tokenDigest).execute();
  }
}
