/**
 * The hub's service: its use cases, each in its own module — members (members.ts), accounts (accounts.ts),
 * the catalog (catalog.ts), the agreement workflow (agreements.ts), the log's intake of the nodes' access
 * records (ledger-intake.ts) — and the city's SLA board. Orchestrates the pure core with the ports; knows
 * nothing of HTTP or SQL.
 */
import type { CommonPasswords } from '../../core/auth/passwords';
import { buildSlaBoard, type SlaBoard } from '../../core/overview/sla-board';
import type { AgreementEvents } from '../../core/ports/agreement-events';
import type { AuditLog } from '../../core/ports/audit-log';
import type { LedgerCrypto } from '../../core/ledger/crypto-port';
import type { GuessGuard } from './guesses';
import { Accounts } from './accounts';
import { Agreements } from './agreements';
import { Catalog } from './catalog';
import { LedgerIntake } from './ledger-intake';
import { MemberRegistry } from './members';
import type { Clock } from '../../core/ports/clock';
import type { HubStore } from '../../core/ports/hub-store';
import type { IdGenerator } from '../../core/ports/ids';
import type { PasswordHasher, TokenDigester } from '../../core/ports/password';
import type { WorkCalendar } from '../../core/calendar/working-days';

export interface HubPolicy {
  slaWorkingDays: number;
  calendar: WorkCalendar;
  sessionHours: number;
  /** Whether a node may be registered at this host (the city's allowed networks; demo: loopback). */
  nodeHostAllowed?: ((hostname: string) => boolean) | undefined;
}

export interface HubDependencies {
  store: HubStore;
  clock: Clock;
  ids: IdGenerator;
  passwords: PasswordHasher;
  tokens: TokenDigester;
  policy: HubPolicy;
  events: AgreementEvents;
  auditLog: AuditLog;
  /** SHA-256 and Ed25519 verification, for the nodes' chains and seals. */
  crypto: LedgerCrypto;
  /** Limits on password guessing (persisted, atomic under concurrency). */
  guard: GuessGuard;
  /** Common and breached passwords, refused for new accounts. */
  commonPasswords: CommonPasswords;
  /**
   * Passwords anyone can read (the demo's, printed in the README): refused for every password a person
   * chooses or an administrator sets; only the demo's own seeding ('bootstrap') uses them.
   */
  publishedPasswords?: readonly string[];
}

export type { AgreementView } from '../../core/agreements/agreement';

export class HubService {
  /** Members, their nodes and keys (members.ts). */
  readonly members: MemberRegistry;
  /** Console users, sessions and API tokens (accounts.ts). */
  readonly accounts: Accounts;
  /** The catalog (catalog.ts). */
  readonly catalog: Catalog;
  /** The agreement workflow (agreements.ts). */
  readonly agreements: Agreements;
  /** The nodes' access records coming into the log (ledger-intake.ts). */
  readonly intake: LedgerIntake;

  constructor(private readonly deps: HubDependencies) {
    this.members = new MemberRegistry(deps);
    this.accounts = new Accounts(deps, this.members);
    this.catalog = new Catalog(deps, this.members);
    this.agreements = new Agreements(deps, this.catalog);
    this.intake = new LedgerIntake(deps);
  }

  /** The city's SLA board (全市共享时效看板). */
  async overview(): Promise<SlaBoard> {
    await this.agreements.expireDue();
    const [members, resources, agreements] = await Promise.all([
      this.deps.store.listMembers(),
      this.deps.store.listResources(),
      this.deps.store.allAgreements(),
    ]);
    return buildSlaBoard({
      members,
      resources,
      agreements,
      now: this.deps.clock.now(),
      calendar: this.deps.policy.calendar,
      slaWorkingDays: this.deps.policy.slaWorkingDays,
    });
  }
}
