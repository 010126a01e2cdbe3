/**
 * Wires 亩均论英雄 (经信局's application): its own database under the data folder (or PostgreSQL), and an
 * exchange client on 经信局's node (compute calls) with the hub for ledger lookups.
 */
import { join } from 'node:path';
import { type DatabaseOptions, openDatabase } from '../platform/db/open';
import type { HostedApp } from '../hub/http/hub-app';
import { createEvaluationApp, type EvaluationApp } from '../apps/evaluation/app';
import type { EvaluationDatabase } from '../apps/evaluation/store/store-schema';
import { ExchangeClient } from '../client/exchange-client';
import type { AppContext } from './apps';

/** The member the application runs as: its node, its agreements. */
export const EVALUATION_MEMBER = 'jingxin';

export interface EvaluationAppSettings {
  database?: DatabaseOptions | undefined;
  /** Subjects per compute call (the node's own limit is 10,000). */
  batchSize?: number | undefined;
  concurrency?: number | undefined;
}

export async function createEvaluationHostedApp(
  context: AppContext,
  settings: EvaluationAppSettings = {},
): Promise<{ app: HostedApp; evaluation: EvaluationApp; start(): Promise<void>; close(): Promise<void> }> {
  const db = openDatabase<EvaluationDatabase>(
    settings.database ?? { dialect: 'sqlite', file: join(context.dataDir, 'apps', 'evaluation.sqlite') },
  );
  const client = new ExchangeClient({
    fetch: context.fetch,
    node: () => context.nodeOf(EVALUATION_MEMBER),
    hub: () => {
      const url = context.hubUrl();
      const token = context.hubTokenOf(EVALUATION_MEMBER);
      return url && token ? { url, token } : undefined;
    },
    // A whole register at the large scale takes seconds at the provider, not milliseconds.
    timeoutMs: 300_000,
    batchSize: settings.batchSize ?? 10_000,
    concurrency: settings.concurrency ?? 2,
  });
  const evaluation = await createEvaluationApp({
    db,
    client,
    owner: EVALUATION_MEMBER,
    clock: context.clock,
    logger: context.logger.child({ app: 'evaluation' }),
  });
  return {
    app: { prefix: evaluation.prefix, plugin: evaluation.plugin },
    evaluation,
    start: () => evaluation.start(),
    close: () => evaluation.close(),
  };
}
