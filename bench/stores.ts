/**
 * Benchmark (not a test) of the exchange and the 亩均 evaluation on PostgreSQL beside SQLite, each city
 * installed as an operator installs it: `initHub` + `runHub` (this process), `initNode` + `hutong node
 * --config` (a process per department), the departments' data imported with `hutong data import --config`,
 * the evaluation hosted by the hub from its `apps` section. Both backends run in the same session, one city
 * after the other (alternating with --rounds 2). Results go into BENCHMARKS.md by hand.
 *
 *   node bin/run-ts.js bench/stores.ts [--database postgres://…] [--scale small|medium] [--seconds 10]
 *     [--connections 32] [--rounds 1]
 *
 * Plain HTTP on loopback (TLS costs the same on both backends). PostgreSQL's server shares the machine's
 * cores with the nodes and the load generator: its CPU is not in the per-call figures.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { sql } from 'kysely';
import { runImport } from '../src/cli/data-handlers';
import { loadHubConfig } from '../src/composition/config';
import { projectRoot } from '../src/composition/hub';
import {
  ageQuestionAgreement,
  computeApplications,
  EVALUATION_SOURCES,
  firstResident,
  freePort,
  grantAgreement,
  jsonCaller,
  registerDepartment,
  takeOver,
} from '../src/composition/installation.test-helper';
import { initHub, runHub } from '../src/composition/production-hub';
import { initNode } from '../src/composition/production-node';
import { writeCityFiles } from '../src/datasets/files';
import { isScaleName, SCALES } from '../src/datasets/generator';
import { demoCatalog } from '../src/demo/catalog';
import { openDatabase } from '../src/platform/db/open';

const { values } = parseArgs({
  options: {
    database: { type: 'string', default: 'postgres://postgres@127.0.0.1:5432/postgres' },
    scale: { type: 'string', default: 'small' },
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '1' },
  },
});
if (!isScaleName(values.scale)) throw new Error(`--scale small|medium|large, not ${values.scale}`);
const scale = values.scale;
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const postgresUrl = values.database;

const PROVIDERS = ['gongan', 'shichang', 'ziranziyuan', 'tongji', 'shuiwu', 'renshe', 'gongdian', 'shengtai', 'yingji'];
const CONSUMERS = ['zhengwu', 'jingxin'];
const PASSWORD = 'Harbor-Willow-3381';

/** CPU seconds a process has used so far (utime + stime from /proc; Linux). */
function cpuSeconds(pid: number | undefined): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The process's peak resident memory (VmHWM), MB. */
function peakRssMb(pid: number | undefined): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8')
    .split('\n')
    .find((entry) => entry.startsWith('VmHWM:'));
  return Math.round(Number(line?.split(/\s+/)[1] ?? 0) / 1024);
}

/** A store's size on disk: the SQLite file (with its WAL), or the PostgreSQL schema's tables and indexes. */
async function storeBytes(where: { file?: string; schema?: string }): Promise<number> {
  if (where.file) {
    const size = (path: string) => {
      try {
        return statSync(path).size;
      } catch {
        return 0;
      }
    };
    return size(where.file) + size(`${where.file}-wal`);
  }
  const db = openDatabase<unknown>({ dialect: 'postgres', connectionString: postgresUrl, maxConnections: 1 });
  try {
    const { rows } = await sql<{ bytes: string }>`
      select coalesce(sum(pg_total_relation_size(c.oid)), 0) as bytes from pg_class c
      join pg_namespace n on n.oid = c.relnamespace where n.nspname = ${where.schema} and c.relkind = 'r'`.execute(db);
    return Number(rows[0]?.bytes ?? 0);
  } finally {
    await db.destroy();
  }
}

async function withAdmin<T>(run: (db: ReturnType<typeof openDatabase<unknown>>) => Promise<T>): Promise<T> {
  const db = openDatabase<unknown>({ dialect: 'postgres', connectionString: postgresUrl, maxConnections: 1 });
  try {
    return await run(db);
  } finally {
    await db.destroy();
  }
}

function startNodeProcess(config: string, port: number): Promise<ChildProcess> {
  const child = spawn(process.execPath, [join(projectRoot, 'bin/hutong.js'), 'node', '--config', config], {
    env: { ...process.env, HUTONG_LOG_LEVEL: 'warn', HUTONG_LISTEN_PORT: String(port) },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  return new Promise((done, fail) => {
    child.stdout?.on('data', (chunk) => {
      if (/hutong node/.test(String(chunk))) done(child);
    });
    child.once('exit', (code) => fail(new Error(`node ${config} exited ${code}`)));
  });
}

interface Figures {
  backend: string;
  callsPerSecond: number;
  p50: number;
  p99: number;
  non2xx: number;
  consumerCpuMs: number;
  providerCpuMs: number;
  providerBytesPerCall: number;
  evaluationSeconds: number;
  evaluationCalls: number;
  nodeRssMb: number;
  hubRssMb: number;
}

async function runCity(backend: 'sqlite' | 'postgres', cityFiles: string): Promise<Figures> {
  const dir = mkdtempSync(join(tmpdir(), `hutong-stores-${backend}-`));
  const schemas: string[] = [];
  const place = async (name: string) => {
    if (backend === 'sqlite') return { file: join(dir, name, 'node.sqlite') };
    const schema = `bench_${name}_${Math.random().toString(16).slice(2, 8)}`;
    await withAdmin((db) => sql`create schema ${sql.id(schema)}`.execute(db));
    schemas.push(schema);
    return { schema, database: postgresUrl };
  };
  const children: ChildProcess[] = [];
  let hub: Awaited<ReturnType<typeof runHub>> | undefined;
  try {
    const call = jsonCaller();
    const hubPlace = await place('hub');
    const init = await initHub({ dir: join(dir, 'hub'), database: hubPlace.database, schema: hubPlace.schema });
    const hubPort = await freePort();
    const environment = { HUTONG_LOG_LEVEL: 'warn', HUTONG_LISTEN_PORT: String(hubPort) };
    hub = await runHub(loadHubConfig(init.configFile, environment));
    const operator = await takeOver(call, hub.url, init, 'Copper-Meadow-6620');
    const departments: Record<string, { admin: string; tokenFile: string; leader?: string | undefined }> = {};
    for (const code of [...PROVIDERS, ...CONSUMERS]) {
      departments[code] = await registerDepartment(
        call,
        hub.url,
        operator,
        dir,
        code,
        PROVIDERS.includes(code) ? 'provider' : 'consumer',
      );
    }
    const admin = (code: string) => departments[code]?.admin as string;
    for (const [resource] of [['gongan.household'], ...EVALUATION_SOURCES] as [string][]) {
      const entry = demoCatalog.find((candidate) => candidate.draft.code === resource);
      await call(hub.url, 'POST', '/api/v1/catalog/resources', admin(entry?.provider ?? ''), entry?.draft);
    }
    const nodes: Record<
      string,
      { url: string; port: number; config: string; store: { file?: string; schema?: string } }
    > = {};
    for (const code of [...PROVIDERS, ...CONSUMERS]) {
      const store = await place(code);
      const port = await freePort();
      const { configFile } = initNode({
        dir: join(dir, code),
        member: code,
        hubUrl: hub.url,
        publicUrl: `http://127.0.0.1:${port}`,
        database: store.database,
        schema: store.schema,
        hubTokenFile: departments[code]?.tokenFile,
        citySecretFile: join(dir, 'hub', 'secrets', 'city-secret'),
      });
      nodes[code] = { url: `http://127.0.0.1:${port}`, port, config: configFile, store };
    }
    const io = { out: () => undefined, err: (line: string) => console.error(line) };
    const importStarted = performance.now();
    for (const [resource] of [['gongan.household'], ...EVALUATION_SOURCES] as [string][]) {
      const config = nodes[resource.split('.')[0] as string]?.config as string;
      const file = join(cityFiles, `${resource}.csv`);
      const { exitCode } = await runImport({ resource, file, data: '', config }, io);
      if (exitCode !== 0) throw new Error(`import of ${resource} failed`);
    }
    console.log(`[${backend}] imported in ${((performance.now() - importStarted) / 1000).toFixed(1)} s`);
    const pids: Record<string, number | undefined> = {};
    for (const [code, node] of Object.entries(nodes)) {
      const child = await startNodeProcess(node.config, node.port);
      children.push(child);
      pids[code] = child.pid;
    }

    // The exchange: 政务服务办's node asks 公安's a verify question, signed, audited at both ends.
    const verify = await grantAgreement(call, hub.url, admin('zhengwu'), departments.gongan as { admin: string }, {
      ...ageQuestionAgreement,
      rateLimitPerMinute: 1_000_000,
    });
    const localToken = readFileSync(join(dir, 'zhengwu', 'secrets', 'local-token'), 'utf8').trim();
    const resident = firstResident(join(cityFiles, 'gongan.household.csv'));
    const body = JSON.stringify({
      agreementId: verify,
      mode: 'verify',
      officer: 'bench',
      caseId: 'BENCH',
      subject: resident.id_number,
      predicate: { op: 'gte', item: { ageAt: new Date().toISOString().slice(0, 10), of: 'birth_date' }, value: 60 },
    });
    const query = `${nodes.zhengwu?.url}/local/v1/query`;
    const headers = { authorization: `Bearer ${localToken}`, 'content-type': 'application/json' };
    for (let attempt = 0; ; attempt++) {
      const answer = await fetch(query, { method: 'POST', headers, body });
      if (answer.ok) break;
      if (attempt > 100) throw new Error(`no answer: ${await answer.text()}`);
      await new Promise((done) => setTimeout(done, 200));
    }
    // Let the audit shipping of the warm-up settle before measuring the provider's store.
    await new Promise((done) => setTimeout(done, 2_000));
    const bytesBefore = await storeBytes(nodes.gongan?.store ?? {});
    const cpuBefore = { consumer: cpuSeconds(pids.zhengwu), provider: cpuSeconds(pids.gongan) };
    const load = await autocannon({ url: query, method: 'POST', headers, body, connections, duration: seconds });
    const calls = load.requests.total;
    const consumerCpuMs = ((cpuSeconds(pids.zhengwu) - cpuBefore.consumer) * 1000) / calls;
    const providerCpuMs = ((cpuSeconds(pids.gongan) - cpuBefore.provider) * 1000) / calls;
    await new Promise((done) => setTimeout(done, 3_000));
    const providerBytesPerCall = ((await storeBytes(nodes.gongan?.store ?? {})) - bytesBefore) / calls;
    console.log(`[${backend}] exchange: ${Math.round(load.requests.average)} calls/s`);

    // The evaluation: 经信局's application on the hub, restarted with its apps section (its store on the same
    // backend), through eight departments' computations.
    for (const application of computeApplications(EVALUATION_SOURCES, '亩均论英雄：工业企业亩均效益综合评价')) {
      const provider = departments[application.resourceCode.split('.')[0] as string] as { admin: string };
      await grantAgreement(call, hub.url, admin('jingxin'), provider, application);
    }
    await hub.close();
    hub = undefined;
    const appStore = await place('evaluation');
    hub = await runHub(
      loadHubConfig(init.configFile, {
        ...environment,
        HUTONG_APPS_EVALUATION_NODE_URL: nodes.jingxin?.url,
        HUTONG_APPS_EVALUATION_LOCAL_TOKEN_FILE: join(dir, 'jingxin', 'secrets', 'local-token'),
        HUTONG_APPS_EVALUATION_HUB_TOKEN_FILE: departments.jingxin?.tokenFile,
        ...(appStore.schema
          ? {
              HUTONG_APPS_EVALUATION_DATABASE_URL: postgresUrl,
              HUTONG_APPS_EVALUATION_DATABASE_SCHEMA: appStore.schema,
            }
          : {}),
      }),
    );
    const officer = (
      await call(hub.url, 'POST', '/api/v1/auth/login', undefined, { username: 'jingxin.admin', password: PASSWORD })
    ).json.token as string;
    const evaluationStarted = performance.now();
    const started = await call(hub.url, 'POST', '/apps/evaluation/v1/evaluations', officer, { year: 2025 });
    if (started.status !== 202) throw new Error(`evaluation not started: ${JSON.stringify(started.json)}`);
    let evaluation = started.json;
    while (evaluation.status === 'running') {
      await new Promise((done) => setTimeout(done, 100));
      evaluation = (await call(hub.url, 'GET', `/apps/evaluation/v1/evaluations/${started.json.id}`, officer)).json;
    }
    const evaluationSeconds = (performance.now() - evaluationStarted) / 1000;
    if (evaluation.status !== 'done')
      throw new Error(`evaluation ${evaluation.status}: ${JSON.stringify(evaluation.error)}`);
    console.log(`[${backend}] evaluation: ${evaluationSeconds.toFixed(1)} s`);
    return {
      backend,
      callsPerSecond: Math.round(load.requests.average),
      p50: load.latency.p50,
      p99: load.latency.p99,
      non2xx: load.non2xx,
      consumerCpuMs,
      providerCpuMs,
      providerBytesPerCall,
      evaluationSeconds,
      evaluationCalls: evaluation.exchanges.length,
      nodeRssMb: Math.max(...Object.values(pids).map(peakRssMb)),
      hubRssMb: peakRssMb(process.pid),
    };
  } finally {
    for (const child of children) child.kill('SIGTERM');
    await hub?.close();
    await new Promise((done) => setTimeout(done, 1_000));
    if (schemas.length > 0) {
      await withAdmin(async (db) => {
        for (const schema of schemas) await sql`drop schema ${sql.id(schema)} cascade`.execute(db);
      });
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main() {
  const cityFiles = mkdtempSync(join(tmpdir(), 'hutong-stores-city-'));
  writeCityFiles(cityFiles, { seed: 1, scale: SCALES[scale] });
  const results: Figures[] = [];
  try {
    for (let round = 0; round < Number(values.rounds); round++) {
      for (const backend of ['sqlite', 'postgres'] as const) results.push(await runCity(backend, cityFiles));
    }
  } finally {
    rmSync(cityFiles, { recursive: true, force: true });
  }
  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model}, ${Math.round(totalmem() / 2 ** 30)} GB, Node ${process.version}, ${new Date().toISOString()}`,
  );
  console.log(`scale ${scale}; autocannon ${connections} connections × ${seconds} s\n`);
  console.log(
    '| backend | verify calls/s | p50 / p99 ms | non-2xx | CPU ms/call consumer · provider | provider store bytes/call | evaluation 2025 | its calls | peak RSS node · hub |',
  );
  console.log('|---|---:|---|---:|---|---:|---:|---:|---|');
  for (const r of results) {
    console.log(
      `| ${r.backend} | ${r.callsPerSecond} | ${r.p50} / ${r.p99} | ${r.non2xx} | ${r.consumerCpuMs.toFixed(2)} · ${r.providerCpuMs.toFixed(2)} | ${Math.round(r.providerBytesPerCall)} | ${r.evaluationSeconds.toFixed(1)} s | ${r.evaluationCalls} | ${r.nodeRssMb} · ${r.hubRssMb} MB |`,
    );
  }
}

await main();
