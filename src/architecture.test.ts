/**
 * The layering rules live in biome.json; this proves they bite: a forbidden import in each layer fails
 * the lint that `npm test` runs, and an allowed one passes.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..');
const biome = join(root, 'node_modules/.bin/biome');

/**
 * Lints source placed in the folder of `path`, under a name of its own (removed afterwards), so the
 * rules of exactly that folder apply; ok means no import rule fired. Biome's stdin mode does not
 * report diagnostics, hence a real file.
 */
function lint(path: string, source: string): { ok: boolean; output: string } {
  const file = join(root, dirname(path), `probe-${process.pid}-${Math.random().toString(36).slice(2)}.ts`);
  writeFileSync(file, source);
  try {
    const result = spawnSync(biome, ['lint', file], { cwd: root, encoding: 'utf8' });
    const output = `${result.stdout}${result.stderr}`;
    return { ok: !output.includes('noRestrictedImports'), output };
  } finally {
    rmSync(file, { force: true });
  }
}

/** One forbidden and, where it matters, one allowed import per room: each row is a probe file and what it imports. */
const rows: { where: string; imports: string; from: string; allowed: boolean }[] = [
  // the domain core: pure, and only the core
  { where: 'src/core/agreements/probe.ts', imports: 'readFileSync', from: 'node:fs', allowed: false },
  { where: 'src/core/agreements/probe.ts', imports: 'Kysely', from: 'kysely', allowed: false },
  { where: 'src/core/agreements/probe.ts', imports: 'openDatabase', from: '../../platform/db/open', allowed: false },
  {
    where: 'src/core/agreements/probe.ts',
    imports: 'LogService',
    from: '../../ledger/service/log-service',
    allowed: false,
  },
  { where: 'src/core/agreements/probe.ts', imports: 'HutongError', from: '../errors', allowed: true },
  { where: 'src/core/agreements/probe.ts', imports: 'leafHash', from: '../ledger/merkle', allowed: true },
  // the platform knows no room
  {
    where: 'src/platform/crypto/probe.ts',
    imports: 'HubService',
    from: '../../hub/service/hub-service',
    allowed: false,
  },
  { where: 'src/platform/crypto/probe.ts', imports: 'Kysely', from: 'kysely', allowed: false },
  { where: 'src/platform/db/probe.ts', imports: 'Kysely', from: 'kysely', allowed: true },
  { where: 'src/platform/db/probe.ts', imports: 'Fastify', from: 'fastify', allowed: false },
  { where: 'src/platform/http/probe.ts', imports: 'Fastify', from: 'fastify', allowed: true },
  { where: 'src/platform/http/probe.ts', imports: 'Kysely', from: 'kysely', allowed: false },
  // a room's service: ports only
  { where: 'src/hub/service/probe.ts', imports: 'KyselyHubStore', from: '../store/kysely-hub-store', allowed: false },
  { where: 'src/hub/service/probe.ts', imports: 'buildHubApp', from: '../http/hub-app', allowed: false },
  { where: 'src/hub/service/probe.ts', imports: 'Kysely', from: 'kysely', allowed: false },
  { where: 'src/hub/service/probe.ts', imports: 'HubStore', from: '../../core/ports/hub-store', allowed: true },
  {
    where: 'src/node/service/probe.ts',
    imports: 'KyselyNodeStore',
    from: '../store/kysely-node-store',
    allowed: false,
  },
  { where: 'src/node/service/probe.ts', imports: 'PeerClient', from: '../exchange/peer-client', allowed: false },
  {
    where: 'src/node/service/probe.ts',
    imports: 'LogService',
    from: '../../ledger/service/log-service',
    allowed: false,
  },
  { where: 'src/ledger/service/probe.ts', imports: 'openDatabase', from: '../../platform/db/open', allowed: false },
  {
    where: 'src/ledger/service/probe.ts',
    imports: 'NodeService',
    from: '../../node/service/node-service',
    allowed: false,
  },
  // the node's protocol: its service over its exchange, carried by HTTP
  { where: 'src/node/provider/probe.ts', imports: 'Fastify', from: 'fastify', allowed: false },
  { where: 'src/node/provider/probe.ts', imports: 'NodeService', from: '../service/node-service', allowed: true },
  {
    where: 'src/node/consumer/probe.ts',
    imports: 'KyselyNodeStore',
    from: '../store/kysely-node-store',
    allowed: false,
  },
  { where: 'src/node/consumer/probe.ts', imports: 'PeerClient', from: '../exchange/peer-client', allowed: true },
  // a room's HTTP layer: its service, never a store
  { where: 'src/hub/http/probe.ts', imports: 'KyselyHubStore', from: '../store/kysely-hub-store', allowed: false },
  { where: 'src/hub/http/probe.ts', imports: 'HubService', from: '../service/hub-service', allowed: true },
  { where: 'src/hub/http/probe.ts', imports: 'createHub', from: '../../composition/hub', allowed: false },
  { where: 'src/node/http/probe.ts', imports: 'Kysely', from: 'kysely', allowed: false },
  { where: 'src/node/http/probe.ts', imports: 'NodeService', from: '../service/node-service', allowed: true },
  {
    where: 'src/ledger/http/probe.ts',
    imports: 'KyselyLedgerStore',
    from: '../store/kysely-ledger-store',
    allowed: false,
  },
  // a room's store: Kysely and platform/db, nothing above it
  { where: 'src/hub/store/probe.ts', imports: 'HubService', from: '../service/hub-service', allowed: false },
  { where: 'src/node/store/probe.ts', imports: 'Fastify', from: 'fastify', allowed: false },
  { where: 'src/ledger/store/probe.ts', imports: 'migrateToLatest', from: '../../platform/db/migrate', allowed: true },
  {
    where: 'src/ledger/store/probe.ts',
    imports: 'securityHeaders',
    from: '../../platform/http/security-headers',
    allowed: false,
  },
  // outbound clients
  { where: 'src/hub/clients/probe.ts', imports: 'KyselyHubStore', from: '../store/kysely-hub-store', allowed: false },
  { where: 'src/node/exchange/probe.ts', imports: 'NodeService', from: '../service/node-service', allowed: false },
  // applications: the exchange through src/client only
  {
    where: 'src/apps/services/service/probe.ts',
    imports: 'NodeService',
    from: '../../../node/service/node-service',
    allowed: false,
  },
  {
    where: 'src/apps/services/service/probe.ts',
    imports: 'HubService',
    from: '../../../hub/service/hub-service',
    allowed: false,
  },
  {
    where: 'src/apps/services/service/probe.ts',
    imports: 'openDatabase',
    from: '../../../platform/db/open',
    allowed: false,
  },
  {
    where: 'src/apps/services/service/probe.ts',
    imports: 'ExchangeClient',
    from: '../../../client/exchange-client',
    allowed: true,
  },
  {
    where: 'src/apps/services/service/probe.ts',
    imports: 'leafHash',
    from: '../../../core/ledger/merkle',
    allowed: true,
  },
  { where: 'src/apps/evaluation/http/probe.ts', imports: 'EvaluationStore', from: '../store/store', allowed: false },
  {
    where: 'src/apps/evaluation/store/probe.ts',
    imports: 'EvaluationService',
    from: '../service/service',
    allowed: false,
  },
  { where: 'src/apps/evaluation/probe.ts', imports: 'createLogger', from: '../../platform/log/logger', allowed: false },
  // the client API, entry points, demo, datasets, test support
  { where: 'src/client/probe.ts', imports: 'NodeService', from: '../node/service/node-service', allowed: false },
  { where: 'src/client/probe.ts', imports: 'decodeProblem', from: '../core/problem', allowed: true },
  { where: 'src/cli/probe.ts', imports: 'KyselyHubStore', from: '../hub/store/kysely-hub-store', allowed: false },
  { where: 'src/cli/probe.ts', imports: 'ExchangeClient', from: '../client/exchange-client', allowed: true },
  { where: 'src/composition/probe.ts', imports: 'startTestCity', from: '../testing/test-city', allowed: false },
  { where: 'src/demo/probe.ts', imports: 'KyselyHubStore', from: '../hub/store/kysely-hub-store', allowed: false },
  {
    where: 'src/datasets/probe.ts',
    imports: 'KyselyNodeStore',
    from: '../node/store/kysely-node-store',
    allowed: false,
  },
  { where: 'src/datasets/probe.ts', imports: 'openDatabase', from: '../platform/db/open', allowed: true },
  { where: 'src/testing/probe.ts', imports: 'main', from: '../cli/main', allowed: false },
  // barrels hide cycles, everywhere
  { where: 'src/hub/service/probe.ts', imports: 'x', from: '../../core/access/index', allowed: false },
  // the console: HTTP only, and its own layers
  { where: 'web/src/probe.ts', imports: 'HubService', from: '../../src/hub/service/hub-service', allowed: false },
  { where: 'web/src/pages/probe.ts', imports: 'readFileSync', from: 'node:fs', allowed: false },
  { where: 'web/src/api/probe.ts', imports: 'AppLayout', from: '../layout/AppLayout', allowed: false },
  {
    where: 'web/src/api/probe.ts',
    imports: 'agreementStatuses',
    from: '../../../src/core/agreements/agreement',
    allowed: true,
  },
  { where: 'web/src/components/probe.ts', imports: 'NodePage', from: '../pages/node/NodePage', allowed: false },
  { where: 'web/src/ledger/probe.ts', imports: 'ErrorAlert', from: '../components/ErrorAlert', allowed: false },
  { where: 'web/src/i18n/probe.ts', imports: 'call', from: '../api/client', allowed: false },
  {
    where: 'web/src/e2e/probe.ts',
    imports: 'HubService',
    from: '../../../src/hub/service/hub-service',
    allowed: false,
  },
];

describe('import rules', () => {
  it.each(rows)('$where importing $from: allowed $allowed', ({ where, imports, from, allowed }) => {
    const result = lint(where, `import { ${imports} } from '${from}';\nexport const probe = ${imports};\n`);
    expect(result.ok, result.output).toBe(allowed);
  });

  it('has a rule for every folder under src/ and web/src/', () => {
    const config = readFileSync(join(root, 'biome.json'), 'utf8');
    const folders = [
      ...readdirSync(join(root, 'src'), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => `src/${e.name}`),
      ...readdirSync(join(root, 'web/src'), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => `web/src/${e.name}`),
    ];
    // rooms are ruled per layer (src/hub/service/**…), apps per layer of every app (src/apps/*/service/**)
    const ruled = (folder: string) =>
      config.includes(`"${folder}/**"`) ||
      readdirSync(join(root, folder), { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .every(
          (e) =>
            config.includes(`"${folder}/${e.name}/**"`) ||
            (folder === 'src/apps' && config.includes('"src/apps/*/service/**"')),
        );
    expect(folders.filter((f) => !ruled(f))).toEqual([]);
  });
});

describe('the layout a newcomer reads', () => {
  const slices = readdirSync(join(root, 'src'), { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .flatMap((e) =>
      e.name === 'apps'
        ? readdirSync(join(root, 'src/apps'), { withFileTypes: true })
            .filter((app) => app.isDirectory())
            .map((app) => `src/apps/${app.name}`)
        : [`src/${e.name}`],
    );

  it('gives every slice of src/ a README of its own and a row in the README’s layout table', () => {
    const layout = readFileSync(join(root, 'README.md'), 'utf8');
    expect(slices.filter((slice) => !existsSync(join(root, slice, 'README.md')))).toEqual([]);
    expect(slices.filter((slice) => !layout.includes(`| \`${slice}/\``))).toEqual([]);
  });
});
