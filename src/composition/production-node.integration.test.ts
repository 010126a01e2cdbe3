/**
 * Departments' nodes installed as a city does it: the hub and two nodes each serve HTTPS with a certificate
 * from the city's CA and check each other against that CA alone. `hutong init node` writes a node's
 * configuration and keys; with the member's API token (issued by the department's administrator at the hub)
 * and the city secret it starts, registers its HTTPS address and keys at the hub and witnesses the hub's
 * log over TLS; a consumer's node then asks the provider's a verify question under an agreement, signed.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { runImport } from '../cli/data-handlers';
import { writeCityFiles } from '../datasets/files';
import { SCALES } from '../datasets/generator';
import { demoCatalog } from '../demo/catalog';
import { type TestDatabase, testDialects } from '../platform/db/test-databases';
import { loadHubConfig, loadNodeConfig } from './config';
import { initCityCa, issueCertificate } from './city-ca';
import {
  ageQuestion,
  ageQuestionAgreement,
  firstResident,
  freePort,
  jsonCaller,
  registerDepartment,
  takeOver,
} from './installation.test-helper';
import { initHub, runHub } from './production-hub';
import { testSuite } from '../testing/test-city';
import { initNode, KeyNotCurrent, rotateNodeKey, runNode } from './production-node';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A city CA (as `hutong init ca` makes it) and, signed by it, a certificate for 127.0.0.1 per name. */
async function cityCa<Name extends string>(
  dir: string,
  names: readonly Name[],
): Promise<Record<Name, { cert: string; key: string }> & { ca: string }> {
  const ca = await initCityCa(dir, 'Qinghe city CA (test)', 2);
  const issued = {} as Record<Name, { cert: string; key: string }>;
  for (const name of names) issued[name] = await issueCertificate(ca, dir, name, ['127.0.0.1'], 2);
  return Object.assign(issued, { ca: ca.cert });
}

function fullYears(birth: string, at: string): number {
  const [by, bm, bd] = birth.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = at.split('-').map(Number) as [number, number, number];
  return ay - by - (am < bm || (am === bm && ad < bd) ? 1 : 0);
}

/**
 * Prometheus text exposition format 0.0.4, strictly: every line a HELP, a TYPE or a sample
 * (`name{label="value",…} number`); any other line fails the test. Samples by metric name.
 */
function parsePrometheus(text: string): Map<string, { labels: Record<string, string>; value: number }[]> {
  const samples = new Map<string, { labels: Record<string, string>; value: number }[]>();
  for (const line of text.split('\n')) {
    if (line === '' || /^# (HELP|TYPE) [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (-?[0-9.e+-]+|NaN|[+-]Inf)$/.exec(line);
    if (!match) throw new Error(`not Prometheus text format: ${line}`);
    const labels = Object.fromEntries(
      [...(match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)].map((label) => [
        label[1],
        label[2],
      ]),
    ) as Record<string, string>;
    const list = samples.get(match[1] as string) ?? [];
    list.push({ labels, value: Number(match[3]) });
    samples.set(match[1] as string, list);
  }
  return samples;
}

describe('departments’ nodes from their configurations', () => {
  it('join the hub over TLS checked against the city’s CA, witness its log, and answer a signed verify call', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hutong-city-'));
    folders.push(dir);
    const certificates = await cityCa(dir, ['hub', 'gongan', 'zhengwu'] as const);
    const trust = new Agent({ connect: { ca: readFileSync(certificates.ca) } });
    const call = jsonCaller(trust);

    // On PostgreSQL when there is one (the hub and the provider's node, each in a schema of its own).
    const postgres = testDialects().find((dialect) => dialect.name === 'postgres');
    const [hubDatabase, providerDatabase] = postgres
      ? await Promise.all([postgres.open(), postgres.open()])
      : [undefined, undefined];
    const where = (database: TestDatabase | undefined) =>
      database?.options.dialect === 'postgres'
        ? { database: database.options.connectionString, schema: database.options.schema }
        : {};
    const hubDir = join(dir, 'hub');
    const init = await initHub({ dir: hubDir, passwordCost: 1024, crypto: testSuite(), ...where(hubDatabase) });
    const hub = await runHub(
      loadHubConfig(init.configFile, {
        HUTONG_LOG_LEVEL: 'warn',
        HUTONG_LISTEN_PORT: '0',
        HUTONG_TLS_CERT: certificates.hub.cert,
        HUTONG_TLS_KEY: certificates.hub.key,
        HUTONG_TLS_CA: certificates.ca,
      }),
      { passwordCost: 1024 },
    );
    try {
      // The operator sets its password and registers two departments; each one's administrator issues its
      // node's token.
      const operator = await takeOver(call, hub.url, init, 'Copper-Meadow-6620');
      const gongan = await registerDepartment(call, hub.url, operator, dir, 'gongan', 'provider');
      const zhengwu = await registerDepartment(call, hub.url, operator, dir, 'zhengwu', 'consumer');

      // The department's node: configuration and keys, then the two files from the hub.
      const nodeDir = join(dir, 'gongan');
      const port = await freePort();
      const nodeInit = initNode({
        ...where(providerDatabase),
        dir: nodeDir,
        member: 'gongan',
        hubUrl: hub.url,
        publicUrl: `https://127.0.0.1:${port}`,
        hubTokenFile: gongan.tokenFile,
        citySecretFile: join(hubDir, 'secrets', 'city-secret'),
        crypto: testSuite(),
      });
      expect(nodeInit.missing).toEqual({});
      for (const file of [
        'node.yaml',
        'secrets/identity.json',
        'secrets/local-token',
        'secrets/witness-key',
        'secrets/hub-token',
      ]) {
        expect(statSync(join(nodeDir, file)).mode & 0o777, file).toBe(0o600);
      }
      // The department's own data, into the database its configuration names (`hutong data import --config`).
      const cityFiles = join(dir, 'city');
      writeCityFiles(cityFiles, { seed: 1, scale: SCALES.small });
      const printed: string[] = [];
      const io = { out: (line: string) => printed.push(line), err: (line: string) => printed.push(line) };
      const file = join(cityFiles, 'gongan.household.csv');
      expect(
        (await runImport({ resource: 'gongan.household', file, data: '', config: nodeInit.configFile }, io)).exitCode,
      ).toBe(0);
      // Another department's resource is not this node's to import.
      expect(
        (await runImport({ resource: 'minzheng.elderly_card', file, data: '', config: nodeInit.configFile }, io))
          .exitCode,
      ).toBe(2);
      const resident = firstResident(join(cityFiles, 'gongan.household.csv'));
      const providerConfig = loadNodeConfig(nodeInit.configFile, {
        HUTONG_LOG_LEVEL: 'warn',
        HUTONG_LISTEN_PORT: String(port),
        HUTONG_TLS_CERT: certificates.gongan.cert,
        HUTONG_TLS_KEY: certificates.gongan.key,
        HUTONG_TLS_CA: certificates.ca,
      });
      let node = await runNode(providerConfig);
      try {
        expect(node.url).toBe(`https://127.0.0.1:${port}`);
        expect((await call(node.url, 'GET', '/readyz')).json).toEqual({
          status: 'ready',
          checks: { database: true, keys: true, hub: true },
        });
        // Registered at the hub under its HTTPS address, with its exchange and witness keys.
        const member = (await call(hub.url, 'GET', '/api/v1/members/gongan', operator)).json;
        expect(member.nodeUrl).toBe(`https://127.0.0.1:${port}`);
        expect(member.publicKeys.map((key: { algorithm: string }) => key.algorithm).sort()).toEqual(
          testSuite() === 'gm' ? ['ed25519-witness', 'sm2', 'sm2-witness'] : ['ed25519', 'ed25519-witness'],
        );
        // The hub reaches the node over TLS (checked against the city's CA) and the node cosigns its log.
        await expect
          .poll(async () => (await call(hub.url, 'GET', '/ledger/witnesses')).json.items, { timeout: 20_000 })
          .toEqual([expect.objectContaining({ name: 'gongan', lastStatus: 200 })]);
        // A client that does not trust the city's CA is refused by both.
        await expect(fetch(`${node.url}/healthz`)).rejects.toThrow();
        await expect(fetch(`${hub.url}/healthz`)).rejects.toThrow();

        // 公安 publishes its household register; 政务服务办's node asks a question about a resident.
        const household = demoCatalog.find((entry) => entry.draft.code === 'gongan.household')?.draft;
        expect((await call(hub.url, 'POST', '/api/v1/catalog/resources', gongan.admin, household)).status).toBe(201);
        const consumerPort = await freePort();
        const consumerInit = initNode({
          dir: join(dir, 'zhengwu'),
          member: 'zhengwu',
          hubUrl: hub.url,
          publicUrl: `https://127.0.0.1:${consumerPort}`,
          hubTokenFile: zhengwu.tokenFile,
          citySecretFile: join(hubDir, 'secrets', 'city-secret'),
          crypto: testSuite(),
        });
        const consumer = await runNode(
          loadNodeConfig(consumerInit.configFile, {
            HUTONG_LOG_LEVEL: 'warn',
            HUTONG_LISTEN_PORT: String(consumerPort),
            HUTONG_TLS_CERT: certificates.zhengwu.cert,
            HUTONG_TLS_KEY: certificates.zhengwu.key,
            HUTONG_TLS_CA: certificates.ca,
          }),
        );
        try {
          const applied = await call(hub.url, 'POST', '/api/v1/agreements', zhengwu.admin, ageQuestionAgreement);
          expect(applied.json.status).toBe('active');
          const asOf = new Date().toISOString().slice(0, 10);
          const ask = () =>
            call(
              consumer.url,
              'POST',
              '/local/v1/query',
              consumer.localToken,
              ageQuestion(applied.json.id, resident.id_number, asOf),
            );
          // The hub tells both nodes of the agreement over TLS; the answer is the provider's, signed.
          await expect.poll(async () => (await ask()).status, { timeout: 20_000 }).toBe(200);
          const answer = await ask();
          expect(answer.json.result.answer).toBe(fullYears(resident.birth_date, asOf) >= 60);

          // Both serve Prometheus text with the families an operator watches.
          const scrape = async (base: string) =>
            parsePrometheus(await (await fetch(`${base}/metrics`, { dispatcher: trust } as RequestInit)).text());
          const hubMetrics = await scrape(hub.url);
          for (const family of [
            'hutong_http_requests_total',
            'hutong_http_request_duration_seconds_bucket',
            'hutong_ledger_entries',
            'hutong_ledger_checkpoint_age_seconds',
            'hutong_ledger_unpublished_entries',
            'hutong_witness_lag_entries',
          ]) {
            expect(hubMetrics.has(family), family).toBe(true);
          }
          expect(hubMetrics.get('hutong_witness_lag_entries')?.map((sample) => sample.labels.witness)).toContain(
            'gongan',
          );
          if (hubDatabase) expect(hubMetrics.has('hutong_db_pool_connections')).toBe(true);
          const providerMetrics = await scrape(node.url);
          const served = providerMetrics
            .get('hutong_exchange_decisions_total')
            ?.find((sample) => sample.labels.mode === 'verify' && sample.labels.decision === 'served');
          expect(served?.value).toBeGreaterThanOrEqual(2);
          for (const family of ['hutong_audit_queue_depth', 'hutong_audit_queue_oldest_age_seconds']) {
            expect(providerMetrics.has(family), family).toBe(true);
          }

          // Key rotation: the provider's node stops, its key is replaced under a signature by the old one,
          // and it answers again signed with the new key; the old key stays at the hub for old seals.
          await node.close();
          const rotated = await rotateNodeKey(providerConfig);
          expect(rotated.keyId).not.toBe(rotated.previousKeyId);
          await expect(
            rotateNodeKey({
              ...providerConfig,
              secrets: { ...providerConfig.secrets, identityFile: join(dir, 'zhengwu', 'secrets', 'identity.json') },
            }),
          ).rejects.toBeInstanceOf(KeyNotCurrent);
          node = await runNode(providerConfig);
          const keys = (await call(hub.url, 'GET', '/api/v1/members/gongan', operator)).json.publicKeys.filter(
            (key: { algorithm: string }) => key.algorithm === (testSuite() === 'gm' ? 'sm2' : 'ed25519'),
          );
          expect(keys.map((key: { id: string }) => `gongan:${key.id}`)).toEqual([rotated.previousKeyId, rotated.keyId]);
          const again = await fetch(`${consumer.url}/local/v1/query`, {
            method: 'POST',
            headers: { authorization: `Bearer ${consumer.localToken}`, 'content-type': 'application/json' },
            body: JSON.stringify(ageQuestion(applied.json.id, resident.id_number, asOf)),
            dispatcher: trust,
          } as RequestInit);
          expect(again.status).toBe(200);
          expect(again.headers.get('hutong-signed-by')).toBe(rotated.keyId);
        } finally {
          await consumer.close();
        }
      } finally {
        await node.close();
      }
    } finally {
      await hub.close();
      await trust.close();
      for (const database of [hubDatabase, providerDatabase]) await database?.dispose();
    }
  }, 90_000);
});
