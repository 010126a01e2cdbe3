/**
 * The log's query index, derived from the entries alone: `indexEntry` turns one entry (canonical JSON of an
 * audit event, src/ledger/service/audit-log.ts) into its index row, and `LedgerIndexer` follows the log, indexing
 * committed entries in order, each batch with the index's cursor in one transaction. Nothing is written
 * to the log and nothing the index holds is absent from the log, so the index can be dropped and rebuilt.
 *
 * The indexer runs after the log commits (a timer, and before every query so answers include everything
 * committed when they were asked): the log's writer is not slowed down by it.
 */
import { utf8DecodeStrict } from '../../core/ledger/bytes';
import type { IndexedEntryWithSubjects, LedgerEntryKind, LedgerIndexStore } from '../../core/ports/ledger-index';

const SUBJECT_HASH = /^[A-Za-z0-9_-]{43}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function text(value: unknown, max = 500): string | null {
  return typeof value === 'string' && value !== '' ? value.slice(0, max) : null;
}

function strings(value: unknown, max = 64): string[] {
  return Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string').map((v) => v.slice(0, max))
    : [];
}

function isoTime(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? null : new Date(ms).toISOString();
}

const kinds: ReadonlySet<string> = new Set(['access', 'agreement', 'member', 'resource', 'disclosure']);

function object(value: unknown): Record<string, unknown> | undefined {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/**
 * The index row of entry `index`. Never throws: an entry that is not a recognisable event is indexed as
 * kind 'other' (and time of the epoch), so one odd entry cannot stop the index. An access entry carries
 * the node's record (`record`); a hub event carries its fields at the top level. `loggedAt` is the log's
 * own time; entries of the first format had only the event's time, which then stands for both.
 */
export function indexEntry(index: number, data: Uint8Array): IndexedEntryWithSubjects {
  let entry: Record<string, unknown> = {};
  const decoded = utf8DecodeStrict(data);
  if (decoded !== undefined) {
    try {
      entry = object(JSON.parse(decoded)) ?? {};
    } catch {
      // not JSON: indexed as 'other'
    }
  }
  const type = typeof entry.type === 'string' && kinds.has(entry.type) ? (entry.type as LedgerEntryKind) : 'other';
  const access = type === 'access';
  // Access records of format 2 sit under `record`; older entries were flat.
  const record = access ? (object(entry.record) ?? entry) : entry;
  const action = access ? text(record.decision ?? entry.action, 32) : text(entry.action, 32);
  const subjectHashes = access ? [...new Set(strings(record.subjects).filter((h) => SUBJECT_HASH.test(h)))] : [];
  const covert = access ? text(record.covertUntil, 10) : null;
  const actor = access ? text(record.node ?? entry.actor, 32) : text(entry.actor, 32);
  const eventTime = isoTime(record.at);
  const keyedOrNull = (value: unknown) => {
    const hash = text(value, 64);
    return hash !== null && SUBJECT_HASH.test(hash) ? hash : null;
  };
  return {
    index,
    logtime: isoTime(entry.loggedAt) ?? eventTime ?? new Date(0).toISOString(),
    eventTime,
    kind: type,
    action,
    decision: access && (action === 'served' || action === 'denied') ? action : null,
    code: access ? text(record.code, 48) : null,
    actor,
    consumer: text(record.consumerCode, 32),
    // A catalog change is the provider's own act: it is party to it; an access record names its node.
    provider:
      text(access ? (record.node ?? record.providerCode) : record.providerCode, 32) ??
      (type === 'resource' ? actor : null),
    resource: text(record.resourceCode, 64),
    agreementId: text(record.agreementId, 64),
    mode: text(record.mode, 16),
    items: strings(record.items),
    purpose: access ? text(record.purpose) : null,
    requestId: text(record.requestId, 64),
    officerHash: access ? keyedOrNull(record.officer) : null,
    caseHash: access ? keyedOrNull(record.caseId) : null,
    covertUntil: covert !== null && DATE.test(covert) ? covert : null,
    subjectCount: subjectHashes.length,
    subjectHashes,
  };
}

/** Where the indexer reads the log: its committed size and committed entries (LedgerStore.readEntries). */
export interface LogSource {
  size(): Promise<number>;
  readEntries(start: number, end: number): Promise<readonly { index: number; data: Uint8Array }[]>;
}

export class LedgerIndexer {
  private running: Promise<number> | undefined;
  private indexed: number | undefined;

  constructor(
    private readonly store: LedgerIndexStore,
    private readonly log: LogSource,
    private readonly batch = 1000,
  ) {}

  /**
   * Indexes every entry committed so far; resolves to the indexed size. Concurrent calls share one run
   * (and a call arriving during a run starts another afterwards, so it sees entries committed meanwhile).
   */
  catchUp(): Promise<number> {
    const previous = this.running;
    const run: Promise<number> = (previous ?? Promise.resolve(0))
      .catch(() => 0)
      .then(() => this.run())
      .finally(() => {
        if (this.running === run) this.running = undefined;
      });
    this.running = run;
    return run;
  }

  private stopping = false;

  /**
   * Stops after the batch in progress (a shutdown need not index a large backlog: the next start catches
   * up from the log) and resolves once nothing writes the index any more.
   */
  async stop(): Promise<void> {
    this.stopping = true;
    while (this.running) await this.running.catch(() => undefined);
  }

  private async run(): Promise<number> {
    try {
      this.indexed ??= await this.store.indexedSize();
      const size = await this.log.size();
      while (this.indexed < size && !this.stopping) {
        const from = this.indexed;
        const to = Math.min(size, from + this.batch);
        const entries = await this.log.readEntries(from, to);
        await this.store.addEntries(
          from,
          to,
          entries.map((entry) => indexEntry(entry.index, entry.data)),
        );
        this.indexed = to;
      }
      return this.indexed;
    } catch (error) {
      // Re-read the cursor next time: the store decides where the index stands.
      this.indexed = undefined;
      throw error;
    }
  }
}
