/**
 * A city on separate hosts: Linux network namespaces the test makes (and removes) stand for PostgreSQL's
 * server, the hub and two departments' nodes, each with its own private address on a bridge of the test's
 * own. Everything runs from `hutong init` configurations, as `hutong hub|node --config` processes, over TLS
 * on a city CA. Three providers' nodes witness the log; a signed verify call crosses hosts; one provider's
 * host then drops off the network → the consumer's requests to it fail closed with a coded answer, the hub
 * keeps serving and the two other witnesses keep cosigning (a quorum); back on the network the calls are
 * served again, its witness catches up and the log verifies (`hutong ledger verify`, asking each node for its
 * chain head).
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
  firstResident,
  jsonCaller,
  registerDepartment,
  takeOver,
} from './installation.test-helper';
import { initHub } from './production-hub';
import { initNode } from './production-node';

const NET = '10.231.7';
const HOSTS = { postgres: 10, hub: 2, gongan: 3, zhengwu: 4, minzheng: 5, renshe: 6 } as const;
type Host = keyof typeof HOSTS;
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
    const init = await initHub({ dir: hubDir, database, publicUrl: hubUrl });
    const common = { HUTONG_LOG_LEVEL: 'warn' };
    await startIn(
      'hub',
      [process.execPath, CLI, 'hub', '--config', init.configFile],
      {
        ...common,
        ...(await tls('hub')),
        HUTONG_LISTEN_HOST: address('hub'),
        HUTONG_LISTEN_PORT: '8443',
        HUTONG_NODE_NETWORKS: `${NET}.0/24`,
      },
      /hutong hub:/,
    );
    const operator = await takeOver(call, hubUrl, init, 'Maple-Lantern-4417');
    const department = (code: string, role: 'provider' | 'consumer') =>
      registerDepartment(call, hubUrl, operator, dir, code, role);
    const gongan = await department('gongan', 'provider');
    const zhengwu = await department('zhengwu', 'consumer');
    // Two more providers: three witnesses, so a checkpoint is final with two of them (a majority).
    const minzheng = await department('minzheng', 'provider');
    const renshe = await department('renshe', 'provider');
    const household = demoCatalog.find((entry) => entry.draft.code === 'gongan.household')?.draft;
    expect((await call(hubUrl, 'POST', '/api/v1/catalog/resources', gongan.admin, household)).status).toBe(201);

    // Each department's host: its node from its configuration; the provider's own data imported first.
    const node = async (host: Exclude<Host, 'postgres' | 'hub'>, tokenFile: string) => {
      const nodeInit = initNode({
        dir: join(dir, host),
        member: host,
        hubUrl,
        publicUrl: `https://${address(host)}:9443`,
        hubTokenFile: tokenFile,
        citySecretFile: join(hubDir, 'secrets', 'city-secret'),
      });
      return nodeInit.configFile;
    };
    const providerConfig = await node('gongan', gongan.tokenFile);
    const cityFiles = join(dir, 'city');
    writeCityFiles(cityFiles, { seed: 1, scale: SCALES.small });
    const registerFile = join(cityFiles, 'gongan.household.csv');
    const io = { out: () => undefined, err: () => undefined };
    expect(
      (await runImport({ resource: 'gongan.household', file: registerFile, data: '', config: providerConfig }, io))
        .exitCode,
    ).toBe(0);
    const resident = firstResident(registerFile);
    const consumerConfig = await node('zhengwu', zhengwu.tokenFile);
    for (const [host, config] of [
      ['gongan', providerConfig],
      ['zhengwu', consumerConfig],
      ['minzheng', await node('minzheng', minzheng.tokenFile)],
      ['renshe', await node('renshe', renshe.tokenFile)],
    ] as const) {
      await startIn(
        host,
        [process.execPath, CLI, 'node', '--config', config],
        { ...common, ...(await tls(host)), HUTONG_LISTEN_HOST: address(host), HUTONG_LISTEN_PORT: '9443' },
        /hutong node/,
      );
    }

    const applied = await call(hubUrl, 'POST', '/api/v1/agreements', zhengwu.admin, ageQuestionAgreement);
    expect(applied.json.status).toBe('active');
    const localToken = (
      JSON.parse(readFileSync(join(dir, 'zhengwu', 'secrets', 'identity.json'), 'utf8')) as { localToken: string }
    ).localToken;
    const asOf = new Date().toISOString().slice(0, 10);
    const ask = () =>
      call(
        `https://${address('zhengwu')}:9443`,
        'POST',
        '/local/v1/query',
        localToken,
        ageQuestion(applied.json.id, resident.id_number, asOf),
      );
    await expect.poll(async () => (await ask()).status, { timeout: 30_000 }).toBe(200);

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
    // The log goes on (a new member is an entry) and the two reachable witnesses still cosign it: a quorum.
    const before = await logSize();
    await department('caizheng', 'consumer');
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
      .poll(async () => runLedgerVerify({ url: hubUrl, nodes: true }, out, trustedFetch), { timeout: 30_000 })
      .toBe(0);
    await trust.close();
  }, 240_000);
});
