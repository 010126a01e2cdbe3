import { readFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';
import { Agent, request as undiciRequest } from 'undici';
import Fastify from 'fastify';
import { type PreparedRequest, SignedConsumer } from '../src/testing/signed-consumer';
import { startTestCity } from '../src/testing/test-city';
import { startNodeProcess } from './node-process';
import type { CryptoSuiteName } from '../src/composition/crypto-suite';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10' },
    connections: { type: 'string', default: '64' },
    // Both suites in the same run, alternated round by round (the machine's load drifts; a ratio holds).
    suites: { type: 'string', default: 'intl,gm' },
    rounds: { type: 'string', default: '2' },
  },
});
const seconds = Number(values.seconds);
const connections = Number(values.connections);
const suites = values.suites.split(',') as CryptoSuiteName[];
const rounds = Number(values.rounds);

interface Result {
  name: string;
  requestsPerSecond: number;
  /** CPU time per request in each process (ms): a cost that the machine's other load does not change much. */
  cpuMsPerRequest?: string;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** CPU seconds a process has used so far (utime + stime from /proc; Linux). */
function processCpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return 0;
  }
}

/** Runs `phase` and reports the CPU each process spent on it per request. */
async function perRequestCpu<T extends Result>(
  processes: Record<string, number | undefined>,
  phase: () => Promise<T & { requests: number }>,
): Promise<Result> {
  const before = Object.fromEntries(Object.entries(processes).map(([name, pid]) => [name, processCpuSeconds(pid)]));
  const mainBefore = process.cpuUsage();
  const { requests, ...result } = await phase();
  const main = process.cpuUsage(mainBefore);
  const spent = Object.entries(processes).map(
    ([name, pid]) => `${name} ${(((processCpuSeconds(pid) - before[name]!) * 1000) / requests).toFixed(3)}`,
  );
  spent.push(`hub+load generator ${((main.user + main.system) / 1000 / requests).toFixed(3)}`);
  return { ...result, cpuMsPerRequest: spent.join(', ') };
}

async function load(
  name: string,
  url: string,
  options: { headers?: Record<string, string>; body?: string; method?: 'POST' | 'GET' },
): Promise<Result & { requests: number }> {
  const result = await autocannon({
    url,
    method: options.method ?? 'GET',
    headers: options.headers,
    body: options.body,
    connections,
    duration: seconds,
  });
  return {
    name,
    requestsPerSecond: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

/** One suite's city: the exchange through two node processes, then the provider node alone. */
async function runSuite(suite: CryptoSuiteName, round: number): Promise<Result[]> {
  const city = await startTestCity({ crypto: suite, node: { stalenessLimitMs: 3_600_000 } });
  // Both nodes of the call run in processes of their own, as departments' machines would.
  await city.node('gongan').close();
  await city.node('zhengwu').close();
  const provider = await startNodeProcess('gongan', city.url, city.dataDir);
  const consumer = await startNodeProcess('zhengwu', city.url, city.dataDir);
  const results: Result[] = [];
  const label = (name: string) => `${name} — ${suite}, round ${round}`;
  try {
    const identity = JSON.parse(readFileSync(join(city.dataDir, 'nodes', 'zhengwu.identity.json'), 'utf8')) as {
      localToken: string;
    };
    const consumerNode = { url: consumer.url, localToken: identity.localToken };
    // The seeded agreement limits calls to 6,000/min; the bench uses its own unlimited one.
    const { json: applied } = await city.hub<{ id: string }>('zhengwu', 'POST', '/agreements', {
      resourceCode: 'gongan.household',
      purpose: '性能测试：核验吞吐量',
      legalBasis: 'bench',
      items: ['id_number', 'birth_date'],
      modes: ['verify'],
      predicates: [{ op: 'gte', item: { ageAt: '$asOf', of: 'birth_date' }, value: 60 }],
      validFrom: new Date().toISOString().slice(0, 10),
      validTo: '2030-12-31',
      rateLimitPerMinute: 1_000_000,
    });
    await fetch(`${consumerNode.url}/local/v1/sync`, {
      method: 'POST',
      headers: { authorization: `Bearer ${consumerNode.localToken}` },
    });
    const predicate = { op: 'gte', item: { ageAt: '2026-11-27', of: 'birth_date' }, value: 60 };
    const verifyBody = JSON.stringify({
      agreementId: applied.id,
      mode: 'verify',
      officer: 'bench',
      caseId: 'BENCH',
      subject: '11010519491231002X',
      predicate,
    });
    const headers = { authorization: `Bearer ${consumerNode.localToken}`, 'content-type': 'application/json' };
    results.push(
      await perRequestCpu({ consumer: consumer.child.pid, provider: provider.child.pid }, () =>
        load(label('signed, audited verify through two nodes'), `${consumerNode.url}/local/v1/query`, {
          method: 'POST',
          headers,
          body: verifyBody,
        }),
      ),
    );
    console.log(results.at(-1));

    // The provider node alone: requests signed beforehand by an independent RFC 9421 implementation, so the
    // figure is the node's own capacity (signature check, decision, data read, audit commit, signed answer).
    const consumerSystem = new SignedConsumer('zhengwu');
    await consumerSystem.signAsNode(city.dataDir, city.url, city.credentials.tokens.zhengwu!);
    const total = 4000;
    const prepared: PreparedRequest[] = [];
    for (let i = 0; i < total; i += 1) {
      prepared.push(
        await consumerSystem.prepare({
          nodeUrl: provider.url,
          agreement: { id: applied.id, purpose: '性能测试：核验吞吐量' },
          mode: 'verify',
          body: { subject: '11010519491231002X', predicate },
        }),
      );
    }
    const agent = new Agent({ connections: connections * 2 });
    const providerCpu = processCpuSeconds(provider.child.pid);
    const latencies: number[] = [];
    let next = 0;
    let ok = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: connections }, async () => {
        while (next < prepared.length) {
          const request = prepared[next++]!;
          const t0 = performance.now();
          const response = await undiciRequest(request.url, {
            method: 'POST',
            headers: request.headers,
            body: request.body,
            dispatcher: agent,
          });
          await response.body.arrayBuffer();
          latencies.push(performance.now() - t0);
          if (response.statusCode === 200) ok += 1;
        }
      }),
    );
    const elapsed = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    results.push({
      name: label('signed, audited verify at the provider node alone (pre-signed requests)'),
      requestsPerSecond: Math.round(total / elapsed),
      p50: Math.round(latencies[Math.floor(latencies.length * 0.5)]!),
      p99: Math.round(latencies[Math.floor(latencies.length * 0.99)]!),
      errors: 0,
      non2xx: total - ok,
      cpuMsPerRequest: `provider ${(((processCpuSeconds(provider.child.pid) - providerCpu) * 1000) / total).toFixed(3)}`,
    });
    console.log(results.at(-1));
    await agent.close();
  } finally {
    provider.child.kill('SIGTERM');
    consumer.child.kill('SIGTERM');
    await city.close();
  }
  return results;
}

async function main() {
  const bare = Fastify();
  bare.post('/json', async () => ({ result: { subject: '11010519491231002X', answer: true } }));
  await bare.listen({ port: 0, host: '127.0.0.1' });
  const bareAddress = bare.server.address();
  const bareUrl = `http://127.0.0.1:${typeof bareAddress === 'object' && bareAddress ? bareAddress.port : 0}/json`;
  const results: Result[] = [];
  results.push(
    await load('bare Fastify JSON endpoint (baseline)', bareUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    }),
  );
  console.log(results.at(-1));
  await bare.close();
  const bySuite = new Map<CryptoSuiteName, Result[][]>();
  for (let round = 1; round <= rounds; round += 1) {
    for (const suite of suites) {
      const suiteResults = await runSuite(suite, round);
      results.push(...suiteResults);
      bySuite.set(suite, [...(bySuite.get(suite) ?? []), suiteResults]);
    }
  }

  console.log(
    `\nmachine: ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`,
  );
  console.log(
    `autocannon: ${connections} connections, ${seconds} s each; suites ${suites.join(', ')}, ${rounds} rounds\n`,
  );
  console.log('| endpoint | requests/s | p50 ms | p99 ms | errors | non-2xx | CPU ms per request |');
  console.log('|---|---:|---:|---:|---:|---:|---|');
  for (const r of results)
    console.log(
      `| ${r.name} | ${r.requestsPerSecond} | ${r.p50} | ${r.p99} | ${r.errors} | ${r.non2xx} | ${r.cpuMsPerRequest ?? ''} |`,
    );
  const intl = bySuite.get('intl');
  const gm = bySuite.get('gm');
  if (intl && gm) {
    // Each gm round against the intl round run just before it.
    for (const [phase, name] of ['through two nodes', 'at the provider node alone'].entries()) {
      const ratios = gm.map((round, i) => round[phase]!.requestsPerSecond / intl[i]![phase]!.requestsPerSecond);
      console.log(`gm / intl, verify ${name}: ${ratios.map((ratio) => ratio.toFixed(2)).join(', ')}`);
    }
  }
}

await main();
