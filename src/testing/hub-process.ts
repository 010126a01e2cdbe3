/**
 * The demo hub alone in a process of its own, for crash tests: `node bin/run-ts.js src/testing/hub-process.ts
 * --data DIR [--pg URL --schema NAME]`. When the file `<DIR>/kill-inside-transaction` exists, the process
 * kills itself with SIGKILL inside the next log transaction that carries a change — after the change was
 * written, before anything is committed or answered: the worst moment for a crash.
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { testSuite } from './test-city';
import { createLogger } from '../platform/log/logger';
import { prepareDemoHub } from '../composition/demo';
import type { LedgerStore } from '../core/ports/ledger-store';

const { values } = parseArgs({
  options: { data: { type: 'string' }, pg: { type: 'string' }, schema: { type: 'string' } },
});
const dataDir = values.data!;
const armed = join(dataDir, 'kill-inside-transaction');

function killInsideTransactions(store: LedgerStore): LedgerStore {
  return Object.assign(Object.create(store) as LedgerStore, {
    transaction: <R>(work: Parameters<LedgerStore['transaction']>[0]) =>
      store.transaction((tx) =>
        (work as (t: typeof tx) => Promise<R>)({
          handle: tx.handle,
          size: () => tx.size(),
          readHashes: (indexes: readonly number[]) => tx.readHashes(indexes),
          async append(batch) {
            if (existsSync(armed)) process.kill(process.pid, 'SIGKILL');
            return tx.append(batch);
          },
        }),
      ),
  });
}

const { hub, credentials, seeded } = await prepareDemoHub({
  dataDir,
  // The parent test's suite (HUTONG_TEST_CITY_CRYPTO, inherited).
  crypto: testSuite(),
  cityData: false,
  passwordCost: 1024,
  logger: createLogger({ level: 'silent' }),
  ...(values.pg
    ? { database: { dialect: 'postgres' as const, connectionString: values.pg, schema: values.schema } }
    : {}),
  decorateLedgerStore: killInsideTransactions,
});
if (seeded) writeFileSync(join(dataDir, 'credentials.json'), `${JSON.stringify(credentials)}\n`, { mode: 0o600 });
await hub.app.listen({ port: 0, host: '127.0.0.1' });
const address = hub.app.server.address() as { port: number };
process.stdout.write(`listening http://127.0.0.1:${address.port}\n`);
