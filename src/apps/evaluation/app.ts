/**
 * The 亩均论英雄 application as the composition root hosts it: its store on the Kysely instance it is handed,
 * the exchange client of 经信局's node, the service and the HTTP plugin (mounted under /apps/evaluation/v1).
 */
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import type { Kysely } from 'kysely';
import type { ExchangeClient } from '../../client/exchange-client';
import type { Principal } from '../../core/auth/principal';
import type { AppLogger } from '../../core/ports/app-logger';
import type { Clock } from '../../core/ports/clock';
import { shippedMethodologies } from './service/config-files';
import { evaluationRoutes } from './http/routes';
import { EvaluationService } from './service/service';
import { EvaluationStore } from './store/store';
import type { EvaluationDatabase } from './store/store-schema';

export const evaluationPrefix = '/apps/evaluation/v1';

export interface EvaluationAppOptions {
  db: Kysely<EvaluationDatabase>;
  client: ExchangeClient;
  /** The member that owns the application: 经信局. */
  owner?: string;
  clock?: Clock;
  logger?: AppLogger;
  ledgerAttempts?: number;
  ledgerDelayMs?: number;
}

export interface EvaluationApp {
  prefix: string;
  plugin: FastifyPluginAsync<{ authenticate: (token: string) => Promise<Principal | undefined> }>;
  service: EvaluationService;
  store: EvaluationStore;
  /** Migrates the database and marks runs a restart interrupted. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Evaluation IDs sort by time and say what they are: PJ-20261201-<8 hex>. */
function evaluationId(now: Date): string {
  return `PJ-${now.toISOString().slice(0, 10).replaceAll('-', '')}-${randomUUID().slice(0, 8).toUpperCase()}`;
}

export async function createEvaluationApp(options: EvaluationAppOptions): Promise<EvaluationApp> {
  const store = new EvaluationStore(options.db);
  await store.migrate();
  const clock = options.clock ?? { now: () => new Date() };
  const service = new EvaluationService({
    store,
    client: options.client,
    owner: options.owner ?? 'jingxin',
    clock,
    newId: () => evaluationId(clock.now()),
    ...(options.logger ? { logger: options.logger } : {}),
    ...(options.ledgerAttempts !== undefined ? { ledgerAttempts: options.ledgerAttempts } : {}),
    ...(options.ledgerDelayMs !== undefined ? { ledgerDelayMs: options.ledgerDelayMs } : {}),
  });
  return {
    prefix: evaluationPrefix,
    plugin: evaluationRoutes({ service, methodologies: shippedMethodologies() }),
    service,
    store,
    start: () => service.recover(),
    async close() {
      await service.close();
      await options.db.destroy();
    },
  };
}
