/**
 * What the installation tests (a city's own hub and nodes, its backups, its separate hosts) do the same
 * way: call a server's JSON API, take the hub over from its one-time password, register a department with
 * its administrator and its node's token, read a resident from the synthetic register, and ask for the
 * 老年人优待证 agreement (does this resident reach 60).
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { join } from 'node:path';
import type { Dispatcher } from 'undici';
import type { InitializedHub } from './production-hub';

// biome-ignore lint/suspicious/noExplicitAny: the tests read answers of many shapes
export type Answer = { status: number; json: any };
export type Call = (base: string, method: string, path: string, token?: string, body?: unknown) => Promise<Answer>;

/** A JSON caller; with a dispatcher (one trusting the city's CA) for servers on TLS. */
export function jsonCaller(dispatcher?: Dispatcher): Call {
  return async (base, method, path, token, body) => {
    const response = await fetch(`${base}${path}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body ? { 'content-type': 'application/json' } : {}),
      },
      body: body ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(20_000),
      ...(dispatcher ? { dispatcher } : {}),
    } as RequestInit);
    return { status: response.status, json: await response.json().catch(() => ({})) };
  };
}

/** Logs in with the one-time password `hutong init hub` printed, sets `newPassword`: the operator's token. */
export async function takeOver(call: Call, hubUrl: string, init: InitializedHub, newPassword: string) {
  const once = (
    await call(hubUrl, 'POST', '/api/v1/auth/login', undefined, {
      username: init.username,
      password: init.oneTimePassword,
    })
  ).json.token as string;
  const changed = await call(hubUrl, 'POST', '/api/v1/auth/password', once, {
    currentPassword: init.oneTimePassword,
    newPassword,
  });
  if (changed.status !== 200) throw new Error(`password not changed: ${JSON.stringify(changed.json)}`);
  return changed.json.token as string;
}

/**
 * The operator registers a department; its administrator logs in and issues its node's API token, written
 * to `<dir>/<code>-token` (0600) as `hutong init node --hub-token-file` takes it.
 */
export async function registerDepartment(
  call: Call,
  hubUrl: string,
  operator: string,
  dir: string,
  code: string,
  role: 'provider' | 'consumer',
): Promise<{ admin: string; tokenFile: string; leader?: string }> {
  const registered = await call(hubUrl, 'POST', '/api/v1/members', operator, {
    code,
    name: `清河市${code}`,
    role,
    contact: { person: '联络员', phone: '0571-88001000', email: `${code}@qinghe.gov.cn` },
  });
  if (registered.status !== 201) throw new Error(`${code} not registered: ${JSON.stringify(registered.json)}`);
  const roles = role === 'provider' ? ['admin', 'data_officer', 'reviewer'] : ['admin', 'data_officer'];
  await call(hubUrl, 'POST', `/api/v1/members/${code}/users`, operator, {
    username: `${code}.admin`,
    displayName: '部门管理员',
    password: 'Harbor-Willow-3381',
    roles,
  });
  const admin = (
    await call(hubUrl, 'POST', '/api/v1/auth/login', undefined, {
      username: `${code}.admin`,
      password: 'Harbor-Willow-3381',
    })
  ).json.token as string;
  const issued = await call(hubUrl, 'POST', `/api/v1/members/${code}/tokens`, admin, { label: '前置机 / node', roles });
  if (issued.status !== 201) throw new Error(`no token for ${code}: ${JSON.stringify(issued.json)}`);
  const tokenFile = join(dir, `${code}-token`);
  writeFileSync(tokenFile, issued.json.token, { mode: 0o600 });
  if (role === 'consumer') return { admin, tokenFile };
  // A provider's 分管领导 co-signs what its reviewers approve on resources that need it; never the same person.
  await call(hubUrl, 'POST', `/api/v1/members/${code}/users`, admin, {
    username: `${code}.leader`,
    displayName: '分管领导',
    password: 'Harbor-Willow-3381',
    roles: ['leader'],
  });
  const leader = (
    await call(hubUrl, 'POST', '/api/v1/auth/login', undefined, {
      username: `${code}.leader`,
      password: 'Harbor-Willow-3381',
    })
  ).json.token as string;
  return { admin, tokenFile, leader };
}

/**
 * A consumer's application, carried to 已生效: the provider's reviewer approves it when it waits, and its
 * leader co-signs when the resource asks for that. The agreement's ID.
 */
export async function grantAgreement(
  call: Call,
  hubUrl: string,
  consumer: string,
  provider: { admin: string; leader?: string | undefined },
  application: Record<string, unknown>,
): Promise<string> {
  const applied = await call(hubUrl, 'POST', '/api/v1/agreements', consumer, application);
  if (applied.status !== 201) throw new Error(`not applied: ${JSON.stringify(applied.json)}`);
  const id = applied.json.id as string;
  let status = applied.json.status as string;
  if (status === 'pending') {
    const approved = await call(hubUrl, 'POST', `/api/v1/agreements/${id}/approve`, provider.admin, {
      comment: '同意',
    });
    status = approved.json.status;
  }
  if (status === 'pending_superior') {
    const cosigned = await call(hubUrl, 'POST', `/api/v1/agreements/${id}/superior-approve`, provider.leader, {
      comment: '同意',
    });
    status = cosigned.json.status;
  }
  if (status !== 'active') throw new Error(`${id} is ${status}`);
  return id;
}

/** The first resident of a household register file (CSV with a header). */
export function firstResident(file: string): { id_number: string; birth_date: string } {
  const [header, first] = readFileSync(file, 'utf8').split('\n') as [string, string];
  const cells = first.split(',');
  return Object.fromEntries(header.split(',').map((name, i) => [name, cells[i]])) as {
    id_number: string;
    birth_date: string;
  };
}

/** 政务服务办's application to 公安 for the 60-or-over question (unconditional: active at once). */
export const ageQuestionAgreement = {
  resourceCode: 'gongan.household',
  purpose: '老年人优待证办理：核验年龄',
  legalBasis: '《中华人民共和国老年人权益保障法》第二条',
  items: ['id_number', 'birth_date'],
  modes: ['verify'],
  predicates: [{ op: 'gte', item: { ageAt: '$asOf', of: 'birth_date' }, value: 60 }],
  validFrom: new Date().toISOString().slice(0, 10),
  validTo: '2030-12-31',
  rateLimitPerMinute: 600,
};

/** The verify question as the consumer's node is asked it, about `subject` on `asOf`. */
export function ageQuestion(agreementId: string, subject: string, asOf: string) {
  return {
    agreementId,
    mode: 'verify',
    officer: 'clerk-1',
    subject,
    predicate: { op: 'gte', item: { ageAt: asOf, of: 'birth_date' }, value: 60 },
  };
}

/** 经信局's compute applications for the 亩均 evaluation: resource and items (as the demo city's). */
export const EVALUATION_SOURCES: [resource: string, items: string[]][] = [
  ['shichang.enterprise', ['uscc', 'name', 'industry_code', 'district_code', 'registered_date', 'status']],
  ['ziranziyuan.land_parcel', ['parcel_id', 'uscc', 'area_mu', 'use_type', 'acquired_date']],
  [
    'tongji.enterprise_annual',
    ['uscc', 'year', 'above_scale', 'value_added', 'main_revenue', 'rd_expense', 'energy_tce'],
  ],
  ['shuiwu.tax_annual', ['uscc', 'year', 'tax_paid']],
  ['renshe.insured_monthly', ['uscc', 'month', 'insured_count']],
  ['gongdian.electricity_annual', ['uscc', 'year', 'kwh']],
  ['shengtai.emission_annual', ['uscc', 'year', 'pollutant_t']],
  ['shengtai.penalty', ['uscc', 'decision_date', 'severity']],
  ['yingji.safety_accident', ['uscc', 'accident_date', 'level']],
];

/** A compute application of `purpose` for each of `sources`, valid from today. */
export function computeApplications(sources: readonly [string, string[]][], purpose: string) {
  return sources.map(([resourceCode, items]) => ({
    resourceCode,
    purpose,
    legalBasis: '《政务信息资源共享管理暂行办法》（国发〔2016〕51号）',
    items,
    modes: ['compute'],
    validFrom: new Date().toISOString().slice(0, 10),
    validTo: '2030-12-31',
    rateLimitPerMinute: 6000,
  }));
}

/** A TCP port free on loopback now (for a server whose address must be written before it starts). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}
