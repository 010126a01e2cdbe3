/**
 * The authorization matrix: every route of the hub, its hosted applications (一网通办, 亩均论英雄) and a node,
 * called by every kind of caller — anonymous, a resident, an enterprise, each role a member of each kind may
 * hold (one console person per role) and each member kind's API token, the operator, the auditor; at a node
 * also the node's own local token — and compared with the rule written below for the route. The routes come
 * from the apps' own route tables (src/platform/http/route-table.ts), so a route added without a rule fails.
 *
 * An answer is "denied" when it is 401 or 403, and for routes about one object also 404 (an object outside a
 * caller's scope is not shown to exist); anything else is "through": the caller got past authentication and
 * authorisation (200, or a coded 400/404/409 about the request itself). Bodies are valid where a role is
 * checked after the body, so a denial is a denial and not a validation error; state-changing calls run on
 * objects made for the test, and logouts run last.
 *
 * The same calls check the OpenAPI documents (the hub's with its applications, and a node's): every route is
 * in its document with the security it asks for and a success answer it describes, and every status a route
 * answered any caller — in the media type it came in — is one its operation documents.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UserRole } from '../core/auth/principal';
import type { MemberRole } from '../core/members/member';
import { startTestCity, type TestCity } from '../testing/test-city';
import {
  documentedAnswers,
  missingSuccess,
  type Observed,
  observe,
  type OpenApiDocument,
  openApiOf,
  operationOf,
  undocumented,
} from './openapi-coverage.test-helper';

let city: TestCity;

interface Caller {
  name: string;
  kind: 'anonymous' | 'resident' | 'enterprise' | 'staff' | 'node-local';
  member?: string;
  memberRole?: MemberRole;
  roles: readonly UserRole[];
  /** A console person (a session), not a system's API token. */
  person?: boolean;
  token?: string;
}

type Allow = (caller: Caller) => boolean;

interface Rule {
  allow: Allow;
  /** About one object: 404 to a caller outside its scope is a denial too. */
  scoped?: boolean;
}

// ---- who ------------------------------------------------------------------------------------------

const everyone: Allow = () => true;
const subjects: Allow = (c) => c.kind === 'resident' || c.kind === 'enterprise';
const staff: Allow = (c) => c.kind === 'staff';
const nobodyWithABearerToken: Allow = () => false;
const member =
  (...codes: string[]): Allow =>
  (c) =>
    c.kind === 'staff' && codes.includes(c.member!);
const memberKind =
  (...kinds: MemberRole[]): Allow =>
  (c) =>
    c.kind === 'staff' && kinds.includes(c.memberRole!);
const role =
  (...roles: UserRole[]): Allow =>
  (c) =>
    c.roles.some((r) => roles.includes(r));
const all =
  (...allows: Allow[]): Allow =>
  (c) =>
    allows.every((allow) => allow(c));
const any =
  (...allows: Allow[]): Allow =>
  (c) =>
    allows.some((allow) => allow(c));
const person: Allow = (c) => c.person === true;

// The objects the calls are about (made or chosen in beforeAll).
const PROVIDER = 'minzheng'; // the provider of the test agreement and resource
const CONSUMER = 'zhengwu'; // its consumer; also the 一网通办 counter
const OWNER = 'jingxin'; // 经信局, owner of 亩均论英雄
const SUPPLIER = 'shuiwu'; // 税务局, supplier of the evaluation's tax figures

const operatorAdmin = all(memberKind('operator'), role('admin'));
const ownOrOperatorAdmin = any(all(member(PROVIDER), role('admin')), operatorAdmin);
const overseer = memberKind('operator', 'auditor');
const counter = member(CONSUMER);
const evaluationReaders = any(member(OWNER), memberKind('auditor', 'provider'));

/** Every route of the hub and its hosted apps, with who gets through. */
const hubRules: Record<string, Rule> = {
  // Public: the log, its proofs, the API description, health, the console's files.
  'GET /healthz': { allow: everyone },
  'GET /livez': { allow: everyone },
  'GET /readyz': { allow: everyone },
  // Counts and durations by route pattern, no personal data: scraped like /readyz.
  'GET /metrics': { allow: everyone },
  'GET /openapi.json': { allow: everyone },
  'GET /ledger/checkpoint': { allow: everyone },
  'GET /ledger/policy': { allow: everyone },
  // The 国密 suite's SM2 policy (404 under intl): public like the tlog-policy.
  'GET /ledger/sm2-policy': { allow: everyone },
  'GET /ledger/witnesses': { allow: everyone },
  'GET /ledger/vkey': { allow: everyone },
  'GET /ledger/tile/*': { allow: everyone },
  'GET /ledger/entries/:index': { allow: everyone },
  'GET /ledger/proof/consistency': { allow: everyone },
  // Logins (each checked and throttled by itself).
  'POST /api/v1/auth/login': { allow: everyone },
  'POST /api/v1/auth/resident': { allow: everyone },
  'POST /api/v1/auth/enterprise': { allow: everyone },
  // A person's own account; a system's token has no person behind it.
  'GET /api/v1/auth/me': { allow: all(staff, person) },
  'POST /api/v1/auth/logout': { allow: staff },
  'POST /api/v1/auth/password': { allow: staff },
  // A resident's or an enterprise's own records only.
  'GET /api/v1/me': { allow: subjects },
  'GET /api/v1/me/data-usage': { allow: subjects },
  'POST /api/v1/me/logout': { allow: subjects },
  // Members: the directory to every member; changes by the member's own admin or the operator's.
  'GET /api/v1/members': { allow: staff },
  'GET /api/v1/members/:code': { allow: staff },
  'POST /api/v1/members': { allow: operatorAdmin },
  'PATCH /api/v1/members/:code': { allow: ownOrOperatorAdmin },
  'PUT /api/v1/members/:code/node': { allow: ownOrOperatorAdmin },
  'GET /api/v1/members/:code/users': { allow: ownOrOperatorAdmin },
  'POST /api/v1/members/:code/users': { allow: ownOrOperatorAdmin },
  // A member's API tokens are its own business: not even the operator mints them.
  'POST /api/v1/members/:code/tokens': { allow: all(member(PROVIDER), role('admin')) },
  // Node keys change only by a request signed with the member's current node key, never by a bearer token.
  'POST /api/v1/members/:code/keys': { allow: nobodyWithABearerToken },
  // Catalog: read by every member; published and edited by the provider's data officer.
  'GET /api/v1/catalog/resources': { allow: staff },
  'GET /api/v1/catalog/resources/:code': { allow: staff },
  'POST /api/v1/catalog/resources': { allow: all(memberKind('provider'), role('data_officer')) },
  'PUT /api/v1/catalog/resources/:code': { allow: all(member(PROVIDER), role('data_officer')) },
  // Agreements: applied for by departments' officers, answered by the provider, read by parties and overseers.
  'GET /api/v1/agreements': { allow: staff },
  'POST /api/v1/agreements': { allow: all(memberKind('provider', 'consumer'), role('data_officer', 'admin')) },
  'GET /api/v1/agreements/:id': { allow: any(member(PROVIDER, CONSUMER), overseer), scoped: true },
  'POST /api/v1/agreements/:id/approve': { allow: all(member(PROVIDER), role('reviewer')), scoped: true },
  'POST /api/v1/agreements/:id/reject': { allow: all(member(PROVIDER), role('reviewer')), scoped: true },
  'POST /api/v1/agreements/:id/superior-approve': { allow: all(member(PROVIDER), role('leader')), scoped: true },
  'POST /api/v1/agreements/:id/superior-reject': { allow: all(member(PROVIDER), role('leader')), scoped: true },
  'POST /api/v1/agreements/:id/suspend': {
    allow: any(all(member(PROVIDER), role('reviewer', 'admin')), operatorAdmin),
    scoped: true,
  },
  'POST /api/v1/agreements/:id/resume': {
    allow: any(all(member(PROVIDER), role('reviewer', 'admin')), operatorAdmin),
    scoped: true,
  },
  'POST /api/v1/agreements/:id/revoke': {
    allow: any(all(member(PROVIDER), role('reviewer', 'admin')), operatorAdmin),
    scoped: true,
  },
  'POST /api/v1/agreements/:id/withdraw': { allow: all(member(CONSUMER), role('data_officer', 'admin')), scoped: true },
  'GET /api/v1/overview': { allow: staff },
  // The ledger's index: members search their own entries; clear details to the auditor's persons only.
  'GET /api/v1/ledger/entries': { allow: staff },
  'GET /api/v1/ledger/entries/:index/details': { allow: all(memberKind('auditor'), role('auditor'), person) },
  'GET /api/v1/ledger/withheld': { allow: overseer },
  // Only nodes write the ledger, by requests signed with their own key.
  // A member may read where its own node's chain stands in the log (nothing but its own count and hash);
  // moving it takes a node-signed shipment.
  'GET /api/v1/ledger/access-events/cursor': { allow: memberKind('provider', 'consumer') },
  'POST /api/v1/ledger/access-events': { allow: nobodyWithABearerToken },
  // 一网通办: item definitions and certificate checks are public; applying is for the resident (own ID) and
  // the counter; the counter's records are read by the counter and the city's overseers.
  'GET /apps/services/v1/items': { allow: everyone },
  'GET /apps/services/v1/items/:id': { allow: everyone },
  'GET /apps/services/v1/items/:id/preview': { allow: everyone },
  'GET /apps/services/v1/issuer-keys': { allow: everyone },
  'POST /apps/services/v1/certificates/verify': { allow: everyone },
  'POST /apps/services/v1/applications': { allow: any(counter, (c) => c.kind === 'resident') },
  'GET /apps/services/v1/applications': { allow: any(counter, overseer) },
  'POST /apps/services/v1/applications/search': { allow: any(counter, overseer) },
  'GET /apps/services/v1/applications/:id': { allow: any(counter, overseer), scoped: true },
  'POST /apps/services/v1/applications/:id/retry': { allow: counter, scoped: true },
  // The certificate of an application: to whoever holds its receipt, the counter and the overseers.
  'GET /apps/services/v1/applications/:id/certificate.png': { allow: any(counter, overseer), scoped: true },
  'GET /apps/services/v1/applications/:id/certificate.svg': { allow: any(counter, overseer), scoped: true },
  'POST /apps/services/v1/sweeps': { allow: counter },
  'GET /apps/services/v1/sweeps': { allow: any(counter, overseer) },
  // Counts only (applications, instant decisions, trips saved): every department may see how the city does.
  'GET /apps/services/v1/metrics': { allow: staff },
  // 亩均论英雄: read by 经信局, the auditor and the providing departments; run by 经信局's officers.
  'GET /apps/evaluation/v1/configs': { allow: evaluationReaders },
  'GET /apps/evaluation/v1/configs/:id': { allow: evaluationReaders },
  'GET /apps/evaluation/v1/evaluations': { allow: evaluationReaders },
  'POST /apps/evaluation/v1/evaluations': { allow: all(member(OWNER), role('data_officer', 'admin')) },
  'GET /apps/evaluation/v1/evaluations/:id': { allow: evaluationReaders, scoped: true },
  'GET /apps/evaluation/v1/evaluations/:id/enterprises': { allow: evaluationReaders, scoped: true },
  'GET /apps/evaluation/v1/evaluations/:id/enterprises/:uscc': { allow: evaluationReaders, scoped: true },
  'GET /apps/evaluation/v1/evaluations/:id/moves': { allow: evaluationReaders, scoped: true },
  // The city's grading as a whole (all enterprises, the policies, the spreadsheet): 经信局 and the auditor; a
  // providing department sees the enterprises and its own figures, not the result.
  'GET /apps/evaluation/v1/evaluations/:id/policies': {
    allow: any(member(OWNER), memberKind('auditor')),
    scoped: true,
  },
  'GET /apps/evaluation/v1/evaluations/:id/result': { allow: any(member(OWNER), memberKind('auditor')), scoped: true },
  'GET /apps/evaluation/v1/evaluations/:id/xlsx': { allow: any(member(OWNER), memberKind('auditor')), scoped: true },
  // A figure is disputed by the data officer of the department that supplied it (税务 for tax).
  'POST /apps/evaluation/v1/evaluations/:id/objections': {
    allow: all(member(SUPPLIER), role('data_officer')),
    scoped: true,
  },
  'GET /apps/evaluation/v1/objections': { allow: evaluationReaders },
  'POST /apps/evaluation/v1/objections/:id/resolve': {
    allow: all(member(OWNER, SUPPLIER), role('data_officer')),
    scoped: true,
  },
};

/** The node's own systems (its local token) and its member's own console persons. */
const theNodesOwn: Allow = (c) => c.kind === 'node-local' || (c.person === true && c.member === PROVIDER);

/** Every route of a node, for the callers of the hub plus the node's own systems (its local token). */
const nodeRules: Record<string, Rule> = {
  'GET /healthz': { allow: everyone },
  'GET /livez': { allow: everyone },
  'GET /readyz': { allow: everyone },
  // Counts and durations by route pattern, no personal data: scraped like /readyz.
  'GET /metrics': { allow: everyone },
  // Its API description (the /docs page's files are static, like the hub's).
  'GET /openapi.json': { allow: everyone },
  // Its signed audit head and its witness key are public; checkpoints are checked by their signatures.
  'GET /audit/v1/head': { allow: everyone },
  'GET /witness/vkey': { allow: everyone },
  'POST /witness/add-checkpoint': { allow: everyone },
  // Peers and the hub speak only in requests signed with their keys.
  'POST /peer/v1/:mode': { allow: nobodyWithABearerToken },
  // A doorbell: it carries no authority (the node re-reads the agreement from the hub), so anyone may ring.
  'POST /peer/v1/agreement-changed': { allow: everyone },
  'GET /peer/v1/key': { allow: everyone },
  // The local API: the member's own systems (local token) and its own console persons.
  'POST /local/v1/query': { allow: theNodesOwn },
  'GET /local/v1/requests': { allow: theNodesOwn },
  'GET /local/v1/agreements': { allow: theNodesOwn },
  'GET /local/v1/overview': { allow: theNodesOwn },
  'GET /local/v1/computations': { allow: theNodesOwn },
  'GET /local/v1/stats': { allow: theNodesOwn },
  'POST /local/v1/sync': { allow: theNodesOwn },
};

// ---- the callers and the objects ---------------------------------------------------------------------

const callers: Caller[] = [];
const fixtures: Record<string, string> = {};
let resourceDraft: Record<string, unknown>;
let nodeUrl: string;
let memberName: string;

function csv(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trimEnd().split('\n');
  const columns = header!.split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((value, index) => [columns[index]!, value])));
}

async function request(
  base: string,
  method: string,
  path: string,
  token: string | undefined,
  body?: unknown,
): Promise<{ status: number; json: Record<string, unknown>; type: string | null }> {
  const hasBody = method !== 'GET' && method !== 'DELETE';
  const response = await fetch(new URL(path, base), {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(hasBody ? { 'content-type': 'application/json' } : {}),
    },
    body: hasBody ? JSON.stringify(body ?? {}) : undefined,
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = text ? (JSON.parse(text) as Record<string, unknown>) : {};
  } catch {
    json = {};
  }
  return { status: response.status, json, type: response.headers.get('content-type') };
}

/** The roles `hutong demo` gives each member's API token (src/demo/seed.ts). */
const demoTokenRoles: Record<MemberRole, UserRole[]> = {
  provider: ['admin', 'data_officer', 'reviewer'],
  consumer: ['admin', 'data_officer'],
  operator: ['admin'],
  auditor: ['auditor'],
};

const staffRoles: [string, MemberRole, UserRole[]][] = [
  [PROVIDER, 'provider', ['admin', 'data_officer', 'reviewer', 'leader']],
  [CONSUMER, 'consumer', ['admin', 'data_officer', 'leader']],
  [OWNER, 'consumer', ['admin', 'data_officer', 'leader']],
  [SUPPLIER, 'provider', ['admin', 'data_officer']],
  ['dashuju', 'operator', ['admin']],
  ['shenji', 'auditor', ['admin', 'auditor']],
];

beforeAll(async () => {
  city = await startTestCity();
  callers.push({ name: 'anonymous', kind: 'anonymous', roles: [] });
  const password = 'matrix-probe-passphrase-2026';
  for (const [code, memberRole, roles] of staffRoles) {
    for (const one of roles) {
      const username = `${code}.m-${one.replace('_', '-')}`;
      const created = await request(
        city.url,
        'POST',
        `/api/v1/members/${code}/users`,
        city.credentials.tokens.dashuju,
        {
          username,
          displayName: `矩阵 ${one}`,
          password,
          roles: [one],
        },
      );
      expect(created.status, JSON.stringify(created.json)).toBe(201);
      const login = await request(city.url, 'POST', '/api/v1/auth/login', undefined, { username, password });
      expect(login.status, JSON.stringify(login.json)).toBe(200);
      callers.push({
        name: `${code}(${memberRole}) ${one}`,
        kind: 'staff',
        member: code,
        memberRole,
        roles: [one],
        person: true,
        token: login.json.token as string,
      });
    }
    callers.push({
      name: `${code}(${memberRole}) API token`,
      kind: 'staff',
      member: code,
      memberRole,
      roles: demoTokenRoles[memberRole],
      token: city.credentials.tokens[code]!,
    });
  }

  const out = join(city.dataDir, 'export');
  await city.exportData(out);
  // A resident the elderly card is granted to at once (over 60, registered here, no card yet): the counter's
  // application then has a certificate for the certificate routes.
  const holders = new Set(csv(join(out, 'minzheng.elderly_card.csv')).map((row) => row.id_number));
  const resident = csv(join(out, 'gongan.household.csv')).find(
    (row) => row.status === '正常' && row.birth_date! < '1950-01-01' && !holders.has(row.id_number),
  )!;
  const residentLogin = await request(city.url, 'POST', '/api/v1/auth/resident', undefined, {
    idNumber: resident.id_number,
    name: resident.name,
  });
  expect(residentLogin.status, JSON.stringify(residentLogin.json)).toBe(200);
  callers.push({ name: 'resident', kind: 'resident', roles: [], token: residentLogin.json.token as string });
  fixtures.residentId = resident.id_number!;
  fixtures.residentName = resident.name!;
  const firm = csv(join(out, 'shichang.enterprise.csv'))[0]!;
  const enterpriseLogin = await request(city.url, 'POST', '/api/v1/auth/enterprise', undefined, {
    uscc: firm.uscc,
    name: firm.name,
    legalRepName: firm.legal_rep_name,
    legalRepIdNumber: firm.legal_rep_id_number,
  });
  expect(enterpriseLogin.status, JSON.stringify(enterpriseLogin.json)).toBe(200);
  callers.push({ name: 'enterprise', kind: 'enterprise', roles: [], token: enterpriseLogin.json.token as string });

  // A pending agreement between the provider and the consumer, for the transitions.
  const applied = await request(city.url, 'POST', '/api/v1/agreements', city.credentials.tokens[CONSUMER], {
    resourceCode: `${PROVIDER}.elderly_card`,
    purpose: '授权矩阵测试：核对优待证信息',
    legalBasis: '《政务信息资源共享管理暂行办法》',
    items: ['id_number', 'status'],
    modes: ['record'],
    validFrom: '2026-01-01',
    validTo: '2099-12-31',
    rateLimitPerMinute: 10,
  });
  expect(applied.status, JSON.stringify(applied.json)).toBe(201);
  fixtures.agreement = applied.json.id as string;
  const resource = await request(
    city.url,
    'GET',
    `/api/v1/catalog/resources/${PROVIDER}.elderly_card`,
    city.credentials.tokens[PROVIDER],
  );
  const { providerCode: _p, providerName: _n, ...rest } = resource.json;
  resourceDraft = Object.fromEntries(
    Object.entries(rest).filter(([key]) =>
      [
        'code',
        'name',
        'category',
        'summary',
        'format',
        'items',
        'sharingType',
        'sharingConditions',
        'legalBasis',
        'accessModes',
        'requiresSuperiorApproval',
        'updateCycle',
        'publishedAt',
        'relatedResources',
      ].includes(key),
    ),
  );
  const provider = await request(city.url, 'GET', `/api/v1/members/${PROVIDER}`, city.credentials.tokens[PROVIDER]);
  nodeUrl = provider.json.nodeUrl as string;
  memberName = provider.json.name as string;
  // One evaluation of 2025 (small city), for the evaluation routes.
  const evaluation = await request(
    city.url,
    'POST',
    '/apps/evaluation/v1/evaluations',
    city.credentials.tokens[OWNER],
    {
      year: 2025,
    },
  );
  expect(evaluation.status, JSON.stringify(evaluation.json)).toBeLessThan(300);
  fixtures.evaluation = evaluation.json.id as string;
  for (let i = 0; i < 600; i++) {
    const state = await request(
      city.url,
      'GET',
      `/apps/evaluation/v1/evaluations/${fixtures.evaluation}`,
      city.credentials.tokens[OWNER],
    );
    if (state.json.status !== 'running' && state.json.status !== 'queued') break;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  const graded = await request(
    city.url,
    'GET',
    `/apps/evaluation/v1/evaluations/${fixtures.evaluation}/enterprises?pageSize=1`,
    city.credentials.tokens[OWNER],
  );
  fixtures.uscc = ((graded.json.items as { uscc: string }[])[0] ?? { uscc: firm.uscc! }).uscc;
  const objection = await request(
    city.url,
    'POST',
    `/apps/evaluation/v1/evaluations/${fixtures.evaluation}/objections`,
    city.credentials.tokens[SUPPLIER],
    { uscc: fixtures.uscc, figure: 'tax', reason: '矩阵测试：核对' },
  );
  expect(objection.status, JSON.stringify(objection.json)).toBe(201);
  fixtures.objection = objection.json.id as string;
  // An application at the counter, for the counter's routes.
  const application = await request(
    city.url,
    'POST',
    '/apps/services/v1/applications',
    city.credentials.tokens[CONSUMER],
    {
      item: 'elderly-card',
      idNumber: resident.id_number,
      name: resident.name,
      consent: true,
    },
  );
  expect(application.status, JSON.stringify(application.json)).toBeLessThan(300);
  fixtures.application = application.json.id as string;
}, 300_000);

afterAll(async () => {
  await city?.close();
});

// ---- the calls -----------------------------------------------------------------------------------

let unique = 0;

/** The URL with real objects in place of parameters. */
function fill(url: string): string {
  return url
    .replace('/ledger/tile/*', '/ledger/tile/0/000')
    .replace('/members/:code', `/members/${PROVIDER}`)
    .replace('/catalog/resources/:code', `/catalog/resources/${PROVIDER}.elderly_card`)
    .replace('/agreements/:id', `/agreements/${fixtures.agreement}`)
    .replace('/ledger/entries/:index', '/ledger/entries/1')
    .replace('/evaluations/:id', `/evaluations/${fixtures.evaluation}`)
    .replace('/enterprises/:uscc', `/enterprises/${fixtures.uscc}`)
    .replace('/configs/:id', '/configs/default')
    .replace('/items/:id', '/items/elderly-card')
    .replace('/applications/:id', `/applications/${fixtures.application}`)
    .replace('/objections/:id', `/objections/${fixtures.objection}`)
    .replace('/peer/v1/:mode', '/peer/v1/verify');
}

/** A body that passes validation where the rule is checked after it. */
function bodyFor(route: string): unknown {
  unique += 1;
  switch (route) {
    case 'POST /api/v1/members':
      return {
        code: `matrix${unique}`,
        name: `矩阵测试单位${unique}`,
        role: 'consumer',
        contact: { person: '矩阵', phone: '0571-00000000', email: 'matrix@example.gov.cn' },
      };
    case 'POST /api/v1/members/:code/keys':
      return { algorithm: 'ed25519', publicKey: 'Gb9ECWmEzf6FQbrBZ9w7lshQhqowtrbLDFw4rXAxZuE=' };
    case 'PATCH /api/v1/members/:code':
      return { name: memberName };
    case 'PUT /api/v1/members/:code/node':
      return { url: nodeUrl };
    case 'POST /api/v1/members/:code/users':
      return {
        username: `minzheng.u${unique}`,
        displayName: '矩阵',
        password: 'matrix-probe-passphrase-2026',
        roles: ['data_officer'],
      };
    case 'POST /api/v1/members/:code/tokens':
      return { label: '矩阵测试', roles: ['data_officer'] };
    case 'POST /api/v1/catalog/resources':
      return { ...resourceDraft, code: `${PROVIDER}.matrix_${unique}` };
    case 'PUT /api/v1/catalog/resources/:code':
      return resourceDraft;
    case 'POST /api/v1/agreements':
      return {
        resourceCode: `${PROVIDER}.elderly_card`,
        purpose: `授权矩阵测试 ${unique}`,
        legalBasis: '《政务信息资源共享管理暂行办法》',
        items: ['id_number', 'status'],
        modes: ['record'],
        validFrom: '2026-01-01',
        validTo: '2099-12-31',
        rateLimitPerMinute: 10,
      };
    case 'POST /api/v1/agreements/:id/approve':
    case 'POST /api/v1/agreements/:id/superior-approve':
      return { comment: '矩阵测试' };
    case 'POST /api/v1/agreements/:id/reject':
    case 'POST /api/v1/agreements/:id/superior-reject':
    case 'POST /api/v1/agreements/:id/suspend':
    case 'POST /api/v1/agreements/:id/revoke':
      return { reason: '矩阵测试' };
    case 'POST /apps/services/v1/applications':
      return { item: 'elderly-card', idNumber: fixtures.residentId, name: fixtures.residentName, consent: true };
    case 'POST /apps/services/v1/applications/search':
      return { idNumber: fixtures.residentId };
    case 'POST /apps/services/v1/sweeps':
      return { item: 'longevity-allowance', month: '2026-06' };
    case 'POST /apps/evaluation/v1/evaluations':
      return { year: 2025 };
    case 'POST /apps/evaluation/v1/evaluations/:id/objections':
      return { uscc: fixtures.uscc, figure: 'tax', reason: '矩阵测试' };
    case 'POST /apps/evaluation/v1/objections/:id/resolve':
      return { status: 'rejected', note: '矩阵测试' };
    default:
      return {};
  }
}

function routesOf(app: FastifyInstance): string[] {
  const routes = [...new Set(app.routeTable.map((route) => `${route.method} ${route.url}`))];
  // Log-outs end the caller's session: they run last.
  const last = (route: string) => (route.endsWith('/logout') ? 1 : 0);
  return routes.sort((a, b) => last(a) - last(b) || a.localeCompare(b));
}

/**
 * Routes that serve the console's files (one per file of the built console, when it is there) and the API
 * explorer: public by nature. They are called like every other route, under the rule "everyone".
 */
function isStaticRoute(route: string): boolean {
  const [method, url] = route.split(' ') as [string, string];
  if (method !== 'GET' || url === '/openapi.json') return false;
  return (
    url === '/' ||
    url === '/*' ||
    url.startsWith('/docs') ||
    url.startsWith('/assets/') ||
    /^\/[^/]+\.[a-z0-9]+$/i.test(url)
  );
}

/** What each route answered in the matrix, for the documents' check. */
const answered: { hub: Observed; node: Observed } = { hub: new Map(), node: new Map() };

async function mismatches(
  base: string,
  rules: Record<string, Rule>,
  routes: string[],
  who: Caller[],
  observed: Observed,
) {
  const found: string[] = [];
  for (const route of routes) {
    const rule = rules[route];
    if (!rule) continue;
    const [method, url] = route.split(' ') as [string, string];
    for (const caller of who) {
      const result = await request(base, method, fill(url), caller.token, bodyFor(route));
      observe(observed, route, result.status, result.type);
      const denied = result.status === 401 || result.status === 403 || (rule.scoped === true && result.status === 404);
      const expected = rule.allow(caller);
      if (denied === expected || result.status >= 500) {
        found.push(
          `${route} as ${caller.name}: ${result.status} ${String(result.json.code ?? '')} ${JSON.stringify(result.json.errors ?? '')} (expected ${expected ? 'through' : 'denied'})`,
        );
      }
    }
  }
  return found;
}

describe('authorization matrix', () => {
  // The node first: the hub's log-out routes end the callers' sessions.
  it('has a rule for every route of a node, and every route keeps it', async () => {
    const node = city.node(PROVIDER);
    const all = routesOf(node.app);
    const routes = all.filter((route) => !isStaticRoute(route));
    expect
      .soft(
        routes.filter((route) => !nodeRules[route]),
        'routes without a rule',
      )
      .toEqual([]);
    expect
      .soft(
        Object.keys(nodeRules).filter((route) => !routes.includes(route)),
        'rules without a route',
      )
      .toEqual([]);
    const local: Caller = { name: 'the node’s own systems', kind: 'node-local', roles: [], token: node.localToken };
    const rules = {
      ...nodeRules,
      ...Object.fromEntries(all.filter(isStaticRoute).map((route) => [route, { allow: everyone }])),
    };
    expect(await mismatches(node.url, rules, all, [...callers, local], answered.node)).toEqual([]);
  }, 600_000);
  it('has a rule for every route of the hub and its applications, and every route keeps it', async () => {
    const all = routesOf(city.hubApp);
    const routes = all.filter((route) => !isStaticRoute(route));
    expect
      .soft(
        routes.filter((route) => !hubRules[route]),
        'routes without a rule',
      )
      .toEqual([]);
    expect
      .soft(
        Object.keys(hubRules).filter((route) => !routes.includes(route)),
        'rules without a route',
      )
      .toEqual([]);
    const rules = {
      ...hubRules,
      ...Object.fromEntries(all.filter(isStaticRoute).map((route) => [route, { allow: everyone }])),
    };
    expect(await mismatches(city.url, rules, all, callers, answered.hub)).toEqual([]);
  }, 600_000);

  it('marks in the OpenAPI documents exactly the operations an anonymous caller is refused', async () => {
    const hubSpec = await openApiOf(city.url);
    // A run is accepted and goes on in the background: 202, as the route answers.
    const run = Object.keys(hubSpec.paths['/apps/evaluation/v1/evaluations']?.post?.responses ?? {});
    expect(run).toContain('202');
    expect(run).not.toContain('200');
    const hub = securityMismatches(hubSpec, hubRules);
    expect(hub.documented).toBe(Object.keys(hubRules).length);
    expect(hub.wrong).toEqual([]);
    const node = securityMismatches(await openApiOf(city.node(PROVIDER).url), nodeRules);
    expect(node.documented).toBe(Object.keys(nodeRules).length);
    expect(node.wrong).toEqual([]);
  });

  // After the matrix above: what the routes answered there is what their documents must list.
  it.each([
    { name: 'a node', who: 'node' as const },
    { name: 'the hub and its applications', who: 'hub' as const },
  ])('documents every route of $name, its success answer and every status it answered', async ({ who }) => {
    const observed = answered[who];
    expect(observed.size, 'the authorization matrix ran first and recorded the answers').toBeGreaterThan(0);
    const app = who === 'node' ? city.node(PROVIDER).app : city.hubApp;
    const spec = await openApiOf(who === 'node' ? city.node(PROVIDER).url : city.url);
    const routes = routesOf(app).filter((route) => !isStaticRoute(route));
    expect(undocumented(spec, routes, observed)).toEqual([]);
    expect(missingSuccess(spec)).toEqual([]);
    expect(documentedAnswers(spec)).toBe(routes.length);
  });
});

/** Operations documented without the security an anonymous caller meets (or with one it does not). */
function securityMismatches(
  spec: OpenApiDocument,
  rules: Record<string, Rule>,
): { documented: number; wrong: string[] } {
  const anonymous = callers.find((caller) => caller.kind === 'anonymous') as Caller;
  const wrong: string[] = [];
  let documented = 0;
  for (const [route, rule] of Object.entries(rules)) {
    const operation = operationOf(spec, route);
    if (!operation) {
      wrong.push(`${route}: not documented`);
      continue;
    }
    documented++;
    // A bearer token, a node's local token or a signature: any scheme the route asks for.
    const secured = (operation.security ?? []).some((requirement) => Object.keys(requirement).length > 0);
    if (secured === rule.allow(anonymous)) wrong.push(`${route}: security ${secured ? 'marked' : 'missing'}`);
  }
  return { documented, wrong };
}
