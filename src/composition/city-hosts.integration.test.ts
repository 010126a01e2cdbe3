/**
 * A city on separate hosts: Linux network namespaces the test makes (and removes) stand for PostgreSQL's
 * server, the hub and the departments' nodes, each with its own private address on a bridge of the test's
 * own (seven enterprise-facing departments share one host, each its own node process). Everything runs
 * from `hutong init` configurations, as `hutong hub|node --config` processes, over TLS on a city CA.
 * Providers' nodes witness the log; a signed verify call crosses hosts; the hub, restarted with its
 * applications, runs the 免申即享 sweep (政务服务办 → 公安, 人社) and the 亩均 evaluation (经信局 → eight
 * departments) across hosts, the applications' stores on PostgreSQL. One provider's host then drops off the
 * network → the consumer's requests to it fail closed with a coded answer, the hub keeps serving and the
 * other witnesses keep cosigning (a quorum); back on the network the calls are served again, its witness
 * catches up and the log verifies (`hutong ledger verify`, asking each node for its chain head).
 * Needs root (CI runs as root); anywhere else the test says why and skips.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chownSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runImport } from '../cli/data-handlers';
import { runLedgerVerify } from '../cli/ledger/verify';
import { writeCityFiles } from '../datasets/files';
import { SCALES } from '../datasets/generator';
import { demoCatalog } from '../demo/catalog';
import { initCityCa, issueCertificate } from './city-ca';
import {
  ageQuestion,
  ageQuestionAgreement,
  computeApplications,
  EVALUATION_SOURCES,
  firstResident,
  grantAgreement,
  jsonCaller,
  registerDepartment,
  takeOver,
} from './installation.test-helper';
import { initHub } from './production-hub';
import { testSuite } from '../testing/test-city';
import { initNode } from './production-node';

const NET = '10.231.7';
const HOSTS = { postgres: 10, hub: 2, gongan: 3, zhengwu: 4, minzheng: 5, renshe: 6, jingxin: 7, qiye: 8 } as const;
/** The departments whose nodes share the `qiye` host, each on its own port. */
const ENTERPRISE_DEPARTMENTS = ['shichang', 'ziranziyuan', 'tongji', 'shuiwu', 'gongdian', 'shengtai', 'yingji'];
/** 政务服务办's compute applications for the sweep: the roster by age and the pension supplement. */
const SWEEP_SOURCES: [string, string[]][] = [
  ['gongan.household', ['id_number', 'name', 'birth_date', 'district_code', 'status', 'deregistration_reason']],
  ['renshe.pension', ['id_number', 'pension_type', 'status']],
];
type Host = keyof typeof HOSTS;
type NodeHost = Exclude<Host, 'postgres' | 'hub'>;
const BRIDGE = 'hutong-br0';
const PG_BIN = '/usr/lib/postgresql/15/bin';
const CLI = resolve(import.meta.dirname, '../../bin/hutong.js');

const ip = (...args: string[]) => execFileSync('ip', args, { stdio: 'pipe' });
const inHost = (host: Host, ...command: string[]) => ['netns', 'exec', `hutong-${host}`, ...command];

/** Why the test cannot run here, or undefined when namespaces can be made. */
function unavailable(): string | undefined {
  if (process.getuid?.() !== 0) return 'not root: network namespaces need CAP_SYS_ADMIN';
  try {
    ip('netns', 'add', 'hutong-probe');
    ip('netns', 'del', 'hutong-probe');
    return undefined;
  } catch (error) {
    return `ip netns add failed: ${(error as Error).message.split('\n')[0]}`;
  }
}

const reason = unavailable();
if (reason) console.warn(`city-hosts test skipped: ${reason}`);

function makeNetwork(): void {
  ip('link', 'add', BRIDGE, 'type', 'bridge');
  ip('addr', 'add', `${NET}.1/24`, 'dev', BRIDGE);
  ip('link', 'set', BRIDGE, 'up');
  for (const [host, last] of Object.entries(HOSTS) as [Host, number][]) {
    ip('netns', 'add', `hutong-${host}`);
    ip('link', 'add', `hv-${host}`, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', `hutong-${host}`);
    ip('link', 'set', `hv-${host}`, 'master', BRIDGE, 'up');
    ip(...inHost(host, 'ip', 'addr', 'add', `${NET}.${last}/24`, 'dev', 'eth0'));
    ip(...inHost(host, 'ip', 'link', 'set', 'eth0', 'up'));
    ip(...inHost(host, 'ip', 'link', 'set', 'lo', 'up'));
  }
}

function removeNetwork(): void {
  for (const host of Object.keys(HOSTS)) {
    // Deleting our end removes the pair at once, even while a namespace is still being torn down.
    for (const args of [
      ['link', 'del', `hv-${host}`],
      ['netns', 'del', `hutong-${host}`],
    ]) {
      try {
        ip(...args);
      } catch {}
    }
  }
  try {
    ip('link', 'del', BRIDGE);
  } catch {}
}

const processes: ChildProcess[] = [];

/** Starts `command` inside a host; resolves once a line of its output matches `ready`. */
function startIn(host: Host, command: string[], env: Record<string, string>, ready: RegExp): Promise<ChildProcess> {
  const child = spawn('ip', inHost(host, ...command), { env: { ...process.env, ...env }, stdio: 'pipe' });
  processes.push(child);
  return new Promise((done, fail) => {
    let seen = '';
    const timer = setTimeout(() => fail(new Error(`${host} did not start:\n${seen}`)), 60_000);
    const read = (chunk: Buffer) => {
      seen += chunk.toString();
      if (ready.test(seen)) {
        clearTimeout(timer);
        done(child);
      }
    };
    child.stdout?.on('data', read);
    child.stderr?.on('data', read);
    child.once('exit', (code) => fail(new Error(`${host} exited with ${code}:\n${seen}`)));
  });
}

describe.skipIf(reason !== undefined)('a city on separate hosts', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hutong-hosts-'));
  const folders = [dir];
  beforeAll(() => {
    removeNetwork();
    makeNetwork();
  });
  let stopPostgres: () => void = () => undefined;
  afterAll(async () => {
    stopPostgres();
    for (const child of processes) child.kill('SIGKILL');
    await new Promise((done) => setTimeout(done, 300));
    removeNetwork();
    for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  });

  it('serves a signed call across hosts, fails closed while a provider is off the network, and verifies', async () => {
    const address = (host: Host) => `${NET}.${HOSTS[host]}`;
    // PostgreSQL's own host: a throwaway cluster, reachable on the private network only.
    // Its own folder, owned by the postgres user (the test's folder is root's alone).
    const pgRoot = mkdtempSync(join(tmpdir(), 'hutong-pg-'));
    folders.push(pgRoot);
    chownSync(pgRoot, Number(execFileSync('id', ['-u', 'postgres']).toString()), 0);
    const pgData = join(pgRoot, 'data');
    execFileSync(
      'runuser',
      ['-u', 'postgres', '--', `${PG_BIN}/initdb`, '-D', pgData, '--auth=trust', '-U', 'postgres'],
      {
        stdio: 'pipe',
      },
    );
    writeFileSync(join(pgData, 'pg_hba.conf'), `host all all ${NET}.0/24 trust\nlocal all all trust\n`);
    await startIn(
      'postgres',
      [
        'runuser',
        '-u',
        'postgres',
        '--',
        `${PG_BIN}/postgres`,
        '-D',
        pgData,
        '-c',
        `listen_addresses=${address('postgres')}`,
        '-c',
        `unix_socket_directories=${pgData}`,
      ],
      {},
      /ready to accept connections/,
    );
    // runuser keeps PostgreSQL as its child: stopping it is pg_ctl's job, not a signal to the wrapper.
    stopPostgres = () => {
      try {
        execFileSync('runuser', ['-u', 'postgres', '--', `${PG_BIN}/pg_ctl`, '-D', pgData, 'stop', '-m', 'immediate'], {
          stdio: 'pipe',
        });
      } catch {}
    };
    const database = `postgres://postgres@${address('postgres')}:5432/postgres`;

    const ca = await initCityCa(join(dir, 'ca'), 'Qinghe city CA (hosts test)', 2);
    const certificate = (host: Host) => issueCertificate(ca, join(dir, 'ca'), host, [address(host)], 2);
    const tls = async (host: Host) => {
      const issued = await certificate(host);
      return { HUTONG_TLS_CERT: issued.cert, HUTONG_TLS_KEY: issued.key, HUTONG_TLS_CA: ca.cert };
    };
    const trust = new Agent({ connect: { ca: readFileSync(ca.cert) } });
    const trustedFetch = ((input: string | URL, init?: RequestInit) =>
      fetch(input, { ...init, dispatcher: trust } as RequestInit)) as typeof fetch;
    const call = jsonCaller(trust);

    // The hub's host.
    const hubDir = join(dir, 'hub');
    const hubUrl = `https://${address('hub')}:8443`;
    const init = await initHub({ dir: hubDir, database, publicUrl: hubUrl, crypto: testSuite() });
    const common = { HUTONG_LOG_LEVEL: 'warn' };
    const hubEnvironment = {
      ...common,
      ...(await tls('hub')),
      HUTONG_LISTEN_HOST: address('hub'),
      HUTONG_LISTEN_PORT: '8443',
      HUTONG_NODE_NETWORKS: `${NET}.0/24`,
    };
    const startHub = (extra: Record<string, string> = {}) =>
      startIn(
        'hub',
        [process.execPath, CLI, 'hub', '--config', init.configFile],
        { ...hubEnvironment, ...extra },
        /hutong hub:/,
      );
    const firstHub = await startHub();
    const operator = await takeOver(call, hubUrl, init, 'Maple-Lantern-4417');
    const departments: Record<string, { admin: string; tokenFile: string; leader?: string | undefined }> = {};
    const registrations: [string, 'provider' | 'consumer'][] = [
      ['gongan', 'provider'],
      ['zhengwu', 'consumer'],
      // Two more providers on hosts of their own: with gongan, three witnesses there.
      ['minzheng', 'provider'],
      ['renshe', 'provider'],
      ['jingxin', 'consumer'],
      ...ENTERPRISE_DEPARTMENTS.map((code): [string, 'provider'] => [code, 'provider']),
    ];
    for (const [code, role] of registrations) {
      departments[code] = await registerDepartment(call, hubUrl, operator, dir, code, role);
    }
    const department = (code: string) => departments[code] as { admin: string; tokenFile: string };
    // Each provider publishes its resources in the catalog.
    for (const resource of [...SWEEP_SOURCES, ...EVALUATION_SOURCES].map(([code]) => code)) {
      const entry = demoCatalog.find((candidate) => candidate.draft.code === resource);
      const published = await call(
        hubUrl,
        'POST',
        '/api/v1/catalog/resources',
        department(entry?.provider ?? '').admin,
        entry?.draft,
      );
      expect(published.status, resource).toBe(201);
    }

    // Each department's node from its configuration, its own data imported first (the demo city's files).
    const cityFiles = join(dir, 'city');
    writeCityFiles(cityFiles, { seed: 1, scale: SCALES.small });
    const io = { out: () => undefined, err: () => undefined };
    const nodeConfigs: Record<string, string> = {};
    const nodeUrls: Record<string, string> = {};
    const placements: [code: string, host: NodeHost, port: number][] = [
      ['gongan', 'gongan', 9443],
      ['zhengwu', 'zhengwu', 9443],
      ['minzheng', 'minzheng', 9443],
      ['renshe', 'renshe', 9443],
      ['jingxin', 'jingxin', 9443],
      ...ENTERPRISE_DEPARTMENTS.map((code, index): [string, NodeHost, number] => [code, 'qiye', 9443 + index]),
    ];
    for (const [code, host, port] of placements) {
      nodeUrls[code] = `https://${address(host)}:${port}`;
      nodeConfigs[code] = initNode({
        dir: join(dir, code),
        member: code,
        hubUrl,
        publicUrl: nodeUrls[code],
        hubTokenFile: department(code).tokenFile,
        citySecretFile: join(hubDir, 'secrets', 'city-secret'),
        crypto: testSuite(),
      }).configFile;
    }
    for (const [resource] of [...SWEEP_SOURCES, ...EVALUATION_SOURCES]) {
      const config = nodeConfigs[resource.split('.')[0] as string] as string;
      const file = join(cityFiles, `${resource}.csv`);
      expect((await runImport({ resource, file, data: '', config }, io)).exitCode, resource).toBe(0);
    }
    const resident = firstResident(join(cityFiles, 'gongan.household.csv'));
    const certificates = new Map<NodeHost, Record<string, string>>();
    for (const [code, host, port] of placements) {
      if (!certificates.has(host)) certificates.set(host, await tls(host));
      await startIn(
        host,
        [process.execPath, CLI, 'node', '--config', nodeConfigs[code] as string],
        { ...common, ...certificates.get(host), HUTONG_LISTEN_HOST: address(host), HUTONG_LISTEN_PORT: String(port) },
        /hutong node/,
      );
    }

    // Agreements: the 60-or-over question, the sweep's and the evaluation's computations.
    const applied = await call(hubUrl, 'POST', '/api/v1/agreements', department('zhengwu').admin, ageQuestionAgreement);
    expect(applied.json.status).toBe('active');
    for (const [consumer, sources, purpose] of [
      ['zhengwu', SWEEP_SOURCES, '一网通办：高龄津贴免申即享筛查'],
      ['jingxin', EVALUATION_SOURCES, '亩均论英雄：工业企业亩均效益综合评价'],
    ] as const) {
      for (const application of computeApplications(sources, purpose)) {
        const provider = departments[application.resourceCode.split('.')[0] as string] as { admin: string };
        await grantAgreement(call, hubUrl, department(consumer).admin, provider, application);
      }
    }
    const localToken = readFileSync(join(dir, 'zhengwu', 'secrets', 'local-token'), 'utf8').trim();
    const asOf = new Date().toISOString().slice(0, 10);
    const ask = () =>
      call(
        nodeUrls.zhengwu as string,
        'POST',
        '/local/v1/query',
        localToken,
        ageQuestion(applied.json.id, resident.id_number, asOf),
      );
    await expect.poll(async () => (await ask()).status, { timeout: 30_000 }).toBe(200);

    // The operator adds the city's applications to the hub's configuration and restarts it (SIGTERM: it
    // drains and publishes a last checkpoint). Their stores are PostgreSQL schemas of their own.
    execFileSync(
      'ip',
      inHost(
        'postgres',
        'runuser',
        '-u',
        'postgres',
        '--',
        `${PG_BIN}/psql`,
        '-h',
        pgData,
        '-qc',
        'create schema services; create schema evaluation',
      ),
      { stdio: 'pipe' },
    );
    const stopped = new Promise((done) => firstHub.once('exit', done));
    firstHub.kill('SIGTERM');
    await stopped;
    const app = (name: string, member: string) => ({
      [`HUTONG_APPS_${name}_NODE_URL`]: nodeUrls[member] as string,
      [`HUTONG_APPS_${name}_LOCAL_TOKEN_FILE`]: join(dir, member, 'secrets', 'local-token'),
      [`HUTONG_APPS_${name}_HUB_TOKEN_FILE`]: department(member).tokenFile,
      [`HUTONG_APPS_${name}_DATABASE_URL`]: database,
      [`HUTONG_APPS_${name}_DATABASE_SCHEMA`]: name.toLowerCase(),
    });
    await startHub({ ...app('SERVICES', 'zhengwu'), ...app('EVALUATION', 'jingxin') });
    const login = async (username: string) =>
      (await call(hubUrl, 'POST', '/api/v1/auth/login', undefined, { username, password: 'Harbor-Willow-3381' })).json
        .token as string;

    // 免申即享: 政务服务办 sweeps the month across hosts, batched (the roster and the pension supplement).
    const month = asOf.slice(0, 7);
    const sweep = await call(hubUrl, 'POST', '/apps/services/v1/sweeps', await login('zhengwu.admin'), {
      item: 'longevity-allowance',
      month,
    });
    expect(sweep.status, JSON.stringify(sweep.json)).toBe(200);
    expect(sweep.json.eligible.length).toBeGreaterThan(10);
    expect(sweep.json.requestIds.length).toBeGreaterThanOrEqual(2);

    // 亩均论英雄: 经信局 evaluates the year from eight departments' computations on five hosts.
    const jingxin = await login('jingxin.admin');
    const started = await call(hubUrl, 'POST', '/apps/evaluation/v1/evaluations', jingxin, { year: 2025 });
    expect(started.status, JSON.stringify(started.json)).toBe(202);
    let evaluation = started.json;
    await expect
      .poll(
        async () => {
          evaluation = (await call(hubUrl, 'GET', `/apps/evaluation/v1/evaluations/${started.json.id}`, jingxin)).json;
          return evaluation.status;
        },
        { timeout: 120_000, interval: 500 },
      )
      .not.toBe('running');
    expect(evaluation.status, JSON.stringify(evaluation.error)).toBe('done');
    expect(new Set(evaluation.exchanges.map((exchange: { provider: string }) => exchange.provider))).toEqual(
      new Set(['shichang', 'ziranziyuan', 'tongji', 'shuiwu', 'renshe', 'gongdian', 'shengtai', 'yingji']),
    );
    const graded = evaluation.summary.groups.reduce((sum: number, group: { graded: number }) => sum + group.graded, 0);
    expect(graded).toBeGreaterThan(0);

    // The provider's host drops off the network: its data stops, coded; the hub keeps answering.
    // Every provider's node cosigns the hub's log over TLS.
    const witnesses = async () =>
      Object.fromEntries(
        ((await call(hubUrl, 'GET', '/ledger/witnesses')).json.items as { name: string; cosignedSize: number }[]).map(
          (witness) => [witness.name, witness.cosignedSize],
        ),
      );
    const logSize = async () =>
      Number((await (await trustedFetch(`${hubUrl}/ledger/checkpoint`)).text()).split('\n')[1]);
    await expect
      .poll(
        async () => {
          const [cosigned, size] = [await witnesses(), await logSize()];
          return ['gongan', 'minzheng', 'renshe'].every((name) => cosigned[name] === size);
        },
        { timeout: 30_000 },
      )
      .toBe(true);

    ip(...inHost('gongan', 'ip', 'link', 'set', 'eth0', 'down'));
    const refused = await ask();
    expect(refused.status).toBeGreaterThanOrEqual(500);
    expect(refused.json.code).toBe('PROVIDER_UNREACHABLE');
    expect((await call(hubUrl, 'GET', '/readyz')).status).toBe(200);
    // The log goes on (a new member is an entry) and the reachable witnesses still cosign it: a quorum.
    const before = await logSize();
    await registerDepartment(call, hubUrl, operator, dir, 'caizheng', 'consumer');
    await expect.poll(logSize, { timeout: 10_000 }).toBeGreaterThan(before);
    const grown = await logSize();
    await expect
      .poll(
        async () => {
          const cosigned = await witnesses();
          return [
            cosigned.minzheng === (await logSize()),
            cosigned.renshe === (await logSize()),
            (cosigned.gongan ?? 0) < grown,
          ];
        },
        { timeout: 30_000 },
      )
      .toEqual([true, true, true]);
    // Back on the network: served again, and the log (with every node's chain head) verifies.
    ip(...inHost('gongan', 'ip', 'link', 'set', 'eth0', 'up'));
    await expect.poll(async () => (await ask()).status, { timeout: 30_000 }).toBe(200);
    // Its witness catches up, and its access records reach the log.
    await expect.poll(async () => (await witnesses()).gongan === (await logSize()), { timeout: 30_000 }).toBe(true);
    const lines: string[] = [];
    const out = { out: (line: string) => lines.push(line), err: (line: string) => lines.push(line) };
    await expect
      .poll(async () => runLedgerVerify({ url: hubUrl, nodes: true, suite: testSuite() }, out, trustedFetch), {
        timeout: 30_000,
      })
      .toBe(0);
    await trust.close();
  }, 360_000);
});
