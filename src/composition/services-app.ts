/**
 * Wires 一网通办 (the 政务服务办's application): its own database under the data folder (or PostgreSQL), its
 * item definitions (services/items), the issuing offices' signing keys (seed files; public keys also
 * written to `<data>/apps/services-issuer-keys.json` so certificates verify offline without the server),
 * and exchange clients on the 政务服务办's node.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadOrCreateSeed } from '../platform/crypto/seed-file';
import { type DatabaseOptions, openDatabase } from '../platform/db/open';
import type { HostedApp } from '../hub/http/hub-app';
import { CertificateIssuer } from '../apps/services/service/certificates';
import { ExchangeFacts } from '../apps/services/service/exchange-facts';
import { loadItemCatalog } from '../apps/services/service/loader';
import { servicesRoutes } from '../apps/services/http/routes';
import { type RetryPolicy, ServicesApp } from '../apps/services/service/service';
import { type ServicesDatabase, ServicesStore } from '../apps/services/store/store';
import { ExchangeClient } from '../client/exchange-client';
import type { AppContext } from './apps';
import { projectRoot } from './hub';
import { SERVICES_MEMBER, servicesKeysFile } from './services-settings';
import { cryptoSuite } from './crypto-suite';

/** The member the application runs as: its node, its agreements, its console users are the counter. */
export { SERVICES_MEMBER, servicesKeysFile } from './services-settings';

export interface ServicesAppSettings {
  database?: DatabaseOptions | undefined;
  itemsDir?: string | undefined;
  retry?: Partial<RetryPolicy> | undefined;
  asOfAllowed?: 'staff' | 'anyone' | undefined;
}

export async function createServicesApp(
  context: AppContext,
  settings: ServicesAppSettings = {},
): Promise<{ app: HostedApp; service: ServicesApp; start(): Promise<void>; close(): Promise<void> }> {
  const appsDir = join(context.dataDir, 'apps');
  mkdirSync(appsDir, { recursive: true, mode: 0o700 });
  const db = openDatabase<ServicesDatabase>(
    settings.database ?? { dialect: 'sqlite', file: join(appsDir, 'services.sqlite') },
  );
  const store = new ServicesStore(db);
  await store.migrate();
  const items = loadItemCatalog(settings.itemsDir ?? join(projectRoot, 'services', 'items'));
  const issuers = [...new Map(items.list().map((def) => [def.issuer.code, def.issuer.name])).entries()].map(
    ([code, name]) => ({ code, name }),
  );
  const issuer = new CertificateIssuer(
    (code) => loadOrCreateSeed(join(appsDir, 'services-keys', `${code}.seed`)),
    issuers,
    cryptoSuite(context.crypto).certificates,
  );
  writeFileSync(servicesKeysFile(context.dataDir), `${JSON.stringify({ keys: issuer.publicKeys() }, null, 2)}\n`);
  const node = () => context.nodeOf(SERVICES_MEMBER);
  const hub = () => {
    const url = context.hubUrl();
    const token = context.hubTokenOf(SERVICES_MEMBER);
    return url && token ? { url, token } : undefined;
  };
  const service = new ServicesApp({
    items,
    store,
    // How long an application waits is the item's own setting (waitBeforePendingSeconds); this is the ceiling.
    exchange: new ExchangeFacts(
      new ExchangeClient({ node, hub, fetch: context.fetch, timeoutMs: 120_000 }),
      SERVICES_MEMBER,
    ),
    // A sweep reads a whole register at the provider: minutes, not seconds, at the large scale.
    batchExchange: new ExchangeFacts(
      new ExchangeClient({ node, hub, fetch: context.fetch, timeoutMs: 300_000, batchSize: 10_000, concurrency: 2 }),
      SERVICES_MEMBER,
    ),
    clock: context.clock,
    issuer,
    subjectKey: loadOrCreateSeed(join(appsDir, 'services-subject.key')),
    logger: context.logger.child({ app: 'services' }),
    retry: settings.retry,
    counterMember: SERVICES_MEMBER,
    asOfAllowed: settings.asOfAllowed ?? 'anyone',
  });
  return {
    app: { prefix: '/apps/services/v1', plugin: servicesRoutes(service) },
    service,
    async start() {
      service.start();
    },
    async close() {
      await service.close();
      await db.destroy();
    },
  };
}
