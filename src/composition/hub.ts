/**
 * The composition root: turns flat options into concrete objects (store, clock, crypto, service, HTTP app).
 * Nothing below this folder reads the environment or picks an implementation.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { AgreementEvents } from '../core/ports/agreement-events';
import type { Clock } from '../core/ports/clock';
import type { HubStore } from '../core/ports/hub-store';
import { type WorkCalendar, weekendsOnly } from '../core/sla/working-days';
import { systemClock } from '../adapters/clock/system-clock';
import { randomIds, sha256TokenDigester } from '../adapters/crypto/random-ids';
import { scryptPasswordHasher } from '../adapters/crypto/scrypt-password';
import { type DatabaseOptions, openDatabase } from '../adapters/db/open';
import { buildHubApp } from '../adapters/http/hub-app';
import { createLogger } from '../adapters/log/logger';
import { httpAgreementNotifier } from '../adapters/node/agreement-notifier';
import type { HubDatabase } from '../adapters/store/hub-schema';
import { KyselyHubStore } from '../adapters/store/kysely-hub-store';
import { HubService } from '../hub/hub-service';

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export interface HubOptions {
  /** Where the hub keeps its SQLite database when no other database is given. */
  dataDir: string;
  database?: DatabaseOptions | undefined;
  clock?: Clock | undefined;
  logger?: Logger | undefined;
  logLevel?: string | undefined;
  slaWorkingDays?: number | undefined;
  calendar?: WorkCalendar | undefined;
  sessionHours?: number | undefined;
  /** scrypt cost; tests lower it to keep suites fast. */
  passwordCost?: number | undefined;
  webDir?: string | undefined;
  agreementEvents?: AgreementEvents | undefined;
}

export interface Hub {
  app: FastifyInstance;
  service: HubService;
  store: HubStore;
  clock: Clock;
  /** A service over the same store that sees another time: used to seed dated demo history. */
  serviceAt(instant: Date): HubService;
  close(): Promise<void>;
}

export function packageVersion(): string {
  return JSON.parse(readFileSync(join(projectRoot, 'package.json'), 'utf8')).version as string;
}

export async function createHub(options: HubOptions): Promise<Hub> {
  const database = options.database ?? { dialect: 'sqlite' as const, file: join(options.dataDir, 'hub.sqlite') };
  const store = new KyselyHubStore(openDatabase<HubDatabase>(database));
  await store.migrate();
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? 'info' });
  const passwords = scryptPasswordHasher(options.passwordCost ?? 16384);
  const policy = {
    slaWorkingDays: options.slaWorkingDays ?? 10,
    calendar: options.calendar ?? weekendsOnly,
    sessionHours: options.sessionHours ?? 12,
  };
  const events = options.agreementEvents ?? httpAgreementNotifier(store, logger);
  const serviceAt = (instantOrClock: Date | Clock) =>
    new HubService({
      store,
      clock: instantOrClock instanceof Date ? { now: () => new Date(instantOrClock.getTime()) } : instantOrClock,
      ids: randomIds,
      passwords,
      tokens: sha256TokenDigester,
      policy,
      events,
    });
  const service = serviceAt(clock);
  const app = await buildHubApp({
    hub: service,
    logger,
    webDir: options.webDir ?? join(projectRoot, 'web', 'dist'),
    version: packageVersion(),
  });
  return {
    app,
    service,
    store,
    clock,
    serviceAt: (instant) => serviceAt(instant),
    async close() {
      await app.close();
      await store.close();
    },
  };
}
