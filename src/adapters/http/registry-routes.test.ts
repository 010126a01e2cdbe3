/** Members, users, tokens, keys and catalog publishing through the API, with who-may-do-what. */
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestHub, type InProcessTestHub } from '../../testing/test-hub';

let t: InProcessTestHub;

beforeAll(async () => {
  t = await createTestHub({ now: '2026-11-27T02:00:00.000Z' });
});
afterAll(async () => {
  await t.close();
});

async function call(token: string | null, method: string, url: string, body?: unknown) {
  const response = await t.hub.app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    payload: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.statusCode, json: response.body ? JSON.parse(response.body) : {} };
}

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
    expect(
      (await call(token('gongan'), 'POST', '/api/v1/members/shuiwu/keys', { algorithm: 'ed25519', publicKey: key }))
        .json.code,
    ).toBe('NOT_OWN_MEMBER');
  });

  it('lets a member admin add users to its own member only, and those users can log in', async () => {
    const user = {
      username: 'gongan.reviewer2',
      displayName: '审核员二',
      password: 'a-long-password',
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
