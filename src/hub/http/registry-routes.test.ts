/** Members, users, tokens, keys and catalog publishing through the API, with who-may-do-what. */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SimulatedNode } from '../../testing/simulated-node';
import { createTestHub, type InProcessTestHub, injectJson } from '../../testing/test-hub';

let t: InProcessTestHub;

beforeAll(async () => {
  t = await createTestHub({ now: '2026-11-27T02:00:00.000Z' });
});
afterAll(async () => {
  await t.close();
});

// The tests read many shapes of answer.
// biome-ignore lint/suspicious/noExplicitAny: see above
type Answer = { status: number; json: any };
const call = (token: string | null, method: string, url: string, body?: unknown) =>
  injectJson(t, token, method, url, body) as Promise<Answer>;

const token = (member: string) => t.credentials.tokens[member]!;

function rawEd25519PublicKey(): string {
  const { publicKey } = generateKeyPairSync('ed25519');
  return publicKey.export({ format: 'der', type: 'spki' }).subarray(-32).toString('base64');
}

describe('members', () => {
  it('lets only the operator register a member', async () => {
    const member = {
      code: 'weijian',
      name: '清河市卫生健康委员会',
      role: 'provider',
      contact: { person: '钱七', phone: '1', email: 'w@qinghe.gov.cn' },
    };
    expect((await call(token('gongan'), 'POST', '/api/v1/members', member)).json.code).toBe('FORBIDDEN_ROLE');
    const created = await call(token('dashuju'), 'POST', '/api/v1/members', member);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ code: 'weijian', role: 'provider', publicKeys: [] });
    expect((await call(token('dashuju'), 'POST', '/api/v1/members', member)).json.code).toBe('MEMBER_EXISTS');
    expect((await call(token('dashuju'), 'POST', '/api/v1/members', { ...member, code: 'Bad Code' })).json.code).toBe(
      'VALIDATION_FAILED',
    );
  });

  it('registers an Ed25519 key for the member itself and checks its length', async () => {
    const key = rawEd25519PublicKey();
    const added = await call(token('gongan'), 'POST', '/api/v1/members/gongan/keys', {
      algorithm: 'ed25519',
      publicKey: key,
    });
    expect(added.status).toBe(201);
    expect((await call(token('gongan'), 'GET', '/api/v1/members/gongan')).json.publicKeys).toEqual([
      expect.objectContaining({ algorithm: 'ed25519', publicKey: key }),
    ]);
    expect(
      (await call(token('gongan'), 'POST', '/api/v1/members/gongan/keys', { algorithm: 'ed25519', publicKey: 'AAAA' }))
        .json.code,
    ).toBe('VALIDATION_FAILED');
    // An SM2 key (node or witness) is the 65-byte uncompressed point: 65 bytes of another form are refused.
    for (const algorithm of ['sm2', 'sm2-witness']) {
      const notUncompressed = Buffer.concat([Buffer.of(0x02), Buffer.alloc(64, 7)]).toString('base64');
      const refused = await call(token('gongan'), 'POST', '/api/v1/members/gongan/keys', {
        algorithm,
        publicKey: notUncompressed,
      });
      expect(refused.status).toBe(400);
      expect(refused.json.code).toBe('VALIDATION_FAILED');
    }
    expect(
      (await call(token('gongan'), 'POST', '/api/v1/members/shuiwu/keys', { algorithm: 'ed25519', publicKey: key }))
        .json.code,
    ).toBe('NOT_OWN_MEMBER');
  });

  it('lets a member admin add users to its own member only, and those users can log in', async () => {
    const user = {
      username: 'gongan.reviewer2',
      displayName: '审核员二',
      password: 'qinghe-reviewer-07',
      roles: ['reviewer'],
    };
    expect((await call(token('minzheng'), 'POST', '/api/v1/members/gongan/users', user)).json.code).toBe(
      'NOT_OWN_MEMBER',
    );
    const created = await call(token('gongan'), 'POST', '/api/v1/members/gongan/users', user);
    expect(created.status).toBe(201);
    expect(created.json).not.toHaveProperty('passwordHash');
    const login = await call(null, 'POST', '/api/v1/auth/login', { username: user.username, password: user.password });
    expect(login.json.user).toMatchObject({ memberCode: 'gongan', roles: ['reviewer'] });
    // A reviewer is not an admin: cannot add users.
    expect(
      (await call(login.json.token, 'POST', '/api/v1/members/gongan/users', { ...user, username: 'x.y' })).json.code,
    ).toBe('FORBIDDEN_ROLE');
    const users = await call(token('gongan'), 'GET', '/api/v1/members/gongan/users');
    expect(users.json.items.map((u: { username: string }) => u.username)).toContain('gongan.reviewer2');
  });

  it('takes passwords of 12 characters or more that are not common, run-of-a-kind or the username (NIST SP 800-63B)', async () => {
    const attempt = (password: string, username = 'gongan.clerk3') =>
      call(token('gongan'), 'POST', '/api/v1/members/gongan/users', {
        username,
        displayName: '窗口三',
        password,
        roles: ['data_officer'],
      });
    expect((await attempt('short-pass1')).json.code).toBe('PASSWORD_TOO_SHORT');
    for (const weak of ['aaaaaaaaaaaa', 'abcdefghijklmn', '123456789012', '1qaz2wsx3edc', 'GONGAN.clerk3-2026']) {
      expect((await attempt(weak)).json.code, weak).toBe('PASSWORD_TOO_COMMON');
    }
    expect((await attempt('x'.repeat(129))).json.code).toBe('PASSWORD_TOO_LONG');
    // No composition rules: a long passphrase of lower-case words is fine.
    expect((await attempt('清河 户籍 窗口 晨光 小桥')).status).toBe(201);
  });

  it('gives a member’s people only the roles its kind of member may hold', async () => {
    const user = (roles: string[]) => ({
      username: `gongan.r${roles.join('-')}`,
      displayName: '测试',
      password: 'qinghe-roles-2026',
      roles,
    });
    // A department cannot make itself the city's auditor or its operator — nor can the operator do it for it.
    for (const actor of ['gongan', 'dashuju']) {
      const made = await call(token(actor), 'POST', '/api/v1/members/gongan/users', user(['auditor']));
      expect({ status: made.status, code: made.json.code }).toEqual({ status: 403, code: 'ROLE_NOT_ALLOWED' });
    }
    const tokenRole = await call(token('jingxin'), 'POST', '/api/v1/members/jingxin/tokens', {
      label: '冒充审计',
      roles: ['auditor'],
    });
    expect(tokenRole.json.code).toBe('ROLE_NOT_ALLOWED');
    expect((await call(token('gongan'), 'POST', '/api/v1/members/gongan/users', user(['leader']))).status).toBe(201);
  });

  it('issues API tokens that act for their member with the roles given', async () => {
    const issued = await call(token('jingxin'), 'POST', '/api/v1/members/jingxin/tokens', {
      label: '评价系统',
      roles: ['data_officer'],
    });
    expect(issued.status).toBe(201);
    const me = await call(issued.json.token, 'GET', '/api/v1/agreements?side=consumer');
    expect(me.status).toBe(200);
    expect(me.json.items.every((a: { consumerCode: string }) => a.consumerCode === 'jingxin')).toBe(true);
    expect(
      (await call(token('jingxin'), 'POST', '/api/v1/members/caizheng/tokens', { label: 'x', roles: ['admin'] })).json
        .code,
    ).toBe('NOT_OWN_MEMBER');
  });
});

describe('node addresses (what the hub will call)', () => {
  it('takes http(s) URLs without credentials, query or fragment, in the allowed networks only', async () => {
    const set = (url: string, member = 'shengtai') =>
      call(token(member), 'PUT', `/api/v1/members/${member}/node`, { url });
    for (const [url, code] of [
      ['http://127.0.0.1:4000/internal/admin?token=x#', 'INVALID_NODE_URL'],
      ['http://127.0.0.1:4000/x#', 'INVALID_NODE_URL'],
      ['http://127.0.0.1:4000/x?', 'INVALID_NODE_URL'],
      ['http://admin:secret@127.0.0.1:4000', 'INVALID_NODE_URL'],
      ['http://10.1.2.3:8081', 'NODE_URL_NOT_ALLOWED'],
      ['http://169.254.169.254/latest/meta-data', 'NODE_URL_NOT_ALLOWED'],
      ['http://metadata.internal:8081', 'NODE_URL_NOT_ALLOWED'],
    ] as const) {
      expect((await set(url)).json.code, url).toBe(code);
    }
    expect((await set('ftp://127.0.0.1/')).status).toBe(400);
    const ok = await set('http://127.0.0.1:4000/');
    expect(ok.status).toBe(200);
    expect(ok.json.nodeUrl).toBe('http://127.0.0.1:4000');
  });

  it('shows a witness’s failure as a code, never what its URL answered', async () => {
    const { createServer } = await import('node:http');
    const server = createServer((_request, response) => {
      response.writeHead(500, { 'content-type': 'text/plain' });
      response.end('SECRET-INTERNAL-BODY token=abc');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as { port: number }).port;
      // minzheng's node key (its first, with the member's token), then its witness key signed with it.
      const node = new SimulatedNode('http://hub.invalid', 'minzheng', token('minzheng'), () => t.clock.now());
      const inject = async (request: { url: string; headers: Record<string, string>; payload: string }) => {
        const response = await t.hub.app.inject({ method: 'POST', ...request });
        return { status: response.statusCode, body: response.body };
      };
      await node.register((url, headers, payload) => inject({ url, headers, payload }));
      const witnessKey = rawEd25519PublicKey();
      const keyRequest = node.keyRequest('ed25519-witness', witnessKey, true, token('minzheng'), t.clock.now());
      expect((await inject(keyRequest)).status).toBe(201);
      const url = `http://127.0.0.1:${port}`;
      expect((await call(token('minzheng'), 'PUT', '/api/v1/members/minzheng/node', { url })).status).toBe(200);
      await t.hub.log.publishCheckpoint(t.clock.now());
      await t.hub.witnessing.cosignLatest();
      const status = t.hub.witnessing.witnessStatus() as { name: string; lastError: string | null }[];
      expect(status.find((w) => w.name === 'minzheng')).toMatchObject({ lastError: 'HTTP_500' });
      expect(JSON.stringify(status)).not.toContain('SECRET');
      const witnesses = await t.hub.app.inject({ method: 'GET', url: '/ledger/witnesses' });
      expect(witnesses.body).not.toContain('SECRET');
    } finally {
      server.close();
    }
  });
});

describe('catalog publishing', () => {
  const draft = {
    code: 'gongan.vehicle',
    name: '机动车登记信息',
    category: '部门信息资源/交通',
    summary: '机动车登记',
    format: '数据库',
    items: [
      { name: 'plate', title: '号牌号码', type: 'string', description: '号牌', sensitivity: 2, subjectKey: null },
    ],
    sharingType: 'conditional',
    sharingConditions: '用于执法',
    legalBasis: null,
    accessModes: ['verify'],
    requiresSuperiorApproval: false,
    updateCycle: '每日',
    publishedAt: '2026-11-27',
    relatedResources: [],
  };

  it('publishes a provider’s own resource and refuses someone else’s', async () => {
    expect((await call(token('shuiwu'), 'POST', '/api/v1/catalog/resources', draft)).json.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(
      (await call(token('jingxin'), 'POST', '/api/v1/catalog/resources', { ...draft, code: 'jingxin.x' })).json.code,
    ).toBe('FORBIDDEN_ROLE');
    const created = await call(token('gongan'), 'POST', '/api/v1/catalog/resources', draft);
    expect(created.status).toBe(201);
    expect(created.json).toMatchObject({ providerCode: 'gongan', providerName: '清河市公安局' });
    expect((await call(token('gongan'), 'POST', '/api/v1/catalog/resources', draft)).json.code).toBe('RESOURCE_EXISTS');
  });

  it('enforces the sharing-type rules of the catalog', async () => {
    const notShared = {
      ...draft,
      code: 'gongan.secret',
      sharingType: 'not_shared',
      sharingConditions: null,
      legalBasis: null,
    };
    expect((await call(token('gongan'), 'POST', '/api/v1/catalog/resources', notShared)).json.code).toBe(
      'LEGAL_BASIS_REQUIRED',
    );
    const conditional = { ...draft, code: 'gongan.other', sharingConditions: ' ' };
    expect((await call(token('gongan'), 'POST', '/api/v1/catalog/resources', conditional)).json.code).toBe(
      'CONDITIONS_REQUIRED',
    );
    const duplicate = { ...draft, code: 'gongan.dup', items: [draft.items[0], draft.items[0]] };
    expect((await call(token('gongan'), 'POST', '/api/v1/catalog/resources', duplicate)).json.code).toBe(
      'DUPLICATE_ITEM',
    );
  });

  it('updates a resource in place and keeps its code', async () => {
    const updated = await call(token('gongan'), 'PUT', '/api/v1/catalog/resources/gongan.vehicle', {
      ...draft,
      summary: '机动车登记（更新）',
    });
    expect(updated.json.summary).toBe('机动车登记（更新）');
    expect(
      (
        await call(token('gongan'), 'PUT', '/api/v1/catalog/resources/gongan.vehicle', {
          ...draft,
          code: 'gongan.renamed',
        })
      ).json.code,
    ).toBe('VALIDATION_FAILED');
    expect((await call(token('tongji'), 'PUT', '/api/v1/catalog/resources/gongan.vehicle', draft)).json.code).toBe(
      'NOT_OWN_MEMBER',
    );
  });
});
