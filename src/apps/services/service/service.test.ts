/**
 * The application service without a reachable exchange: applications are kept pending verification, told
 * so plainly, retried with exponential backoff, and never decided on partial data.
 */
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type TestDatabase, testDialects } from '../../../platform/db/test-databases';
import { ExchangeClient } from '../../../client/exchange-client';
import type { Principal, SubjectCaller } from '../../../core/auth/principal';
import { fixedClock } from '../../../core/ports/clock';
import { CertificateIssuer } from './certificates';
import { ExchangeFacts } from './exchange-facts';
import { loadItemCatalog } from './loader';
import { ServicesApp } from './service';
import { maskIdNumber, maskName } from './views';
import { type ServicesDatabase, ServicesStore } from '../store/store';

const staff: Principal = { memberCode: 'zhengwu', memberRole: 'consumer', roles: ['admin'], username: 'zhengwu' };
/** A resident logged in as themselves at the hub. */
const resident = (own: string): SubjectCaller => ({ kind: 'citizen', displayName: '张*', owns: (key) => key === own });
const [sqlite] = testDialects();

describe('pending verification and retry', () => {
  let database: TestDatabase<ServicesDatabase>;
  let service: ServicesApp;
  const clock = fixedClock('2026-06-30T02:00:00.000Z');
  const logged: string[] = [];

  beforeAll(async () => {
    database = await sqlite!.open<ServicesDatabase>();
    const store = new ServicesStore(database.db);
    await store.migrate();
    // The application's node is not up: every check fails as NODE_UNAVAILABLE.
    const unreachable = new ExchangeFacts(new ExchangeClient({ node: () => undefined }), 'zhengwu');
    const logger = {
      info: (object: Record<string, unknown>, message: string) => logged.push(JSON.stringify({ ...object, message })),
      warn: (object: Record<string, unknown>, message: string) => logged.push(JSON.stringify({ ...object, message })),
      error: (object: Record<string, unknown>, message: string) => logged.push(JSON.stringify({ ...object, message })),
    };
    service = new ServicesApp({
      items: loadItemCatalog(join(import.meta.dirname, '../../../../services/items')),
      store,
      exchange: unreachable,
      batchExchange: unreachable,
      clock,
      issuer: new CertificateIssuer(() => randomBytes(32), []),
      subjectKey: randomBytes(32),
      logger,
      retry: { baseMs: 5_000, maxMs: 60_000, intervalMs: 1_000 },
      counterMember: 'zhengwu',
      asOfAllowed: 'staff',
    });
  });

  afterAll(async () => {
    await service?.close();
    await database?.dispose();
  });

  it('keeps the application pending, says so plainly, and backs off', async () => {
    const { created, view } = await service.apply(
      { item: 'elderly-card', idNumber: '11010519491231002X', name: '张三', consent: true },
      undefined,
      resident('11010519491231002X'),
    );
    expect(created).toBe(true);
    expect(view).toMatchObject({ status: 'pending_verification', decision: null, reasons: [], certificate: null });
    expect(view.message).toContain('无需重新提交');
    expect(view.receipt).toBeTruthy();
    // The same person applying again gets the same application, not a second one.
    const again = await service.apply(
      { item: 'elderly-card', idNumber: '11010519491231002x', name: '张三', consent: true },
      undefined,
      resident('11010519491231002X'),
    );
    expect(again).toMatchObject({ created: false, view: { id: view.id } });

    const first = await service.get(view.id, { principal: staff });
    expect(first).toMatchObject({
      attempts: 1,
      lastError: 'NODE_UNAVAILABLE',
      nextAttemptAt: '2026-06-30T02:00:05.000Z',
    });
    expect(await service.retryDue()).toBe(0); // not due yet
    clock.advanceMs(5_000);
    expect(await service.retryDue()).toBe(1);
    expect(await service.get(view.id, { principal: staff })).toMatchObject({
      attempts: 2,
      nextAttemptAt: '2026-06-30T02:00:15.000Z',
    });
    clock.advanceMs(10_000);
    await service.retryDue();
    clock.advanceMs(20_000);
    await service.retryDue();
    clock.advanceMs(40_000);
    await service.retryDue();
    // Capped at 60 s.
    expect(await service.get(view.id, { principal: staff })).toMatchObject({
      attempts: 5,
      nextAttemptAt: '2026-06-30T02:02:15.000Z',
    });
    const retried = await service.retryNow(view.id, staff);
    expect(retried).toMatchObject({ status: 'pending_verification', attempts: 6 });
  });

  it('never writes an ID number or a name to the log', () => {
    expect(logged.length).toBeGreaterThan(3);
    for (const line of logged) {
      expect(line).not.toContain('11010519491231002X');
      expect(line).not.toContain('张三');
    }
  });

  it('lets only counter staff fix the as-of date when so configured', async () => {
    await expect(
      service.apply(
        { item: 'elderly-card', idNumber: '440524188001010014', name: '李四', consent: true, asOf: '2026-06-30' },
        undefined,
        resident('440524188001010014'),
      ),
    ).rejects.toMatchObject({ code: 'FORBIDDEN_ROLE' });
  });

  it('answers nobody who is neither the resident nor counter staff, and no resident for someone else', async () => {
    const input = { item: 'elderly-card', idNumber: '440524188001010014', name: '李四', consent: true };
    await expect(service.apply(input, undefined)).rejects.toMatchObject({ code: 'RESIDENT_LOGIN_REQUIRED' });
    await expect(service.apply(input, undefined, resident('11010519491231002X'))).rejects.toMatchObject({
      code: 'NOT_OWN_ID_NUMBER',
    });
  });

  it('refuses a sweep it cannot complete instead of paying from partial data', async () => {
    await expect(service.sweep('longevity-allowance', '2026-06', staff)).rejects.toMatchObject({
      code: 'CHECKS_UNAVAILABLE',
    });
  });

  it('masks what staff lists show', () => {
    expect(maskIdNumber('11010519491231002X')).toBe('110105********002X');
    expect(maskName('欧阳秀英')).toBe('欧***');
  });
});

describe('request logs of the HTTP surface', () => {
  it('carry no ID number, name or receipt', async () => {
    const { Writable } = await import('node:stream');
    const { default: Fastify } = await import('fastify');
    const { serializerCompiler, validatorCompiler } = await import('fastify-type-provider-zod');
    const { createLogger } = await import('../../../platform/log/logger');
    const { servicesRoutes } = await import('../http/routes');
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const database = await sqlite!.open<ServicesDatabase>();
    const store = new ServicesStore(database.db);
    await store.migrate();
    const unreachable = new ExchangeFacts(new ExchangeClient({ node: () => undefined }), 'zhengwu');
    const logger = createLogger({ level: 'trace', destination: sink });
    const service = new ServicesApp({
      items: loadItemCatalog(join(import.meta.dirname, '../../../../services/items')),
      store,
      exchange: unreachable,
      batchExchange: unreachable,
      clock: fixedClock('2026-06-30T02:00:00.000Z'),
      issuer: new CertificateIssuer(() => randomBytes(32), []),
      subjectKey: randomBytes(32),
      logger: logger.child({ app: 'services' }),
      counterMember: 'zhengwu',
      asOfAllowed: 'anyone',
    });
    const app = Fastify({ loggerInstance: logger });
    app.setValidatorCompiler(validatorCompiler);
    app.setSerializerCompiler(serializerCompiler);
    await app.register(servicesRoutes(service), {
      prefix: '/apps/services/v1',
      authenticate: async (token) => (token === 'staff' ? staff : undefined),
    });
    try {
      const applied = await app.inject({
        method: 'POST',
        url: '/apps/services/v1/applications',
        headers: { authorization: 'Bearer staff' },
        payload: { item: 'elderly-card', idNumber: '440524188001010014', name: '欧阳秀英', consent: true },
      });
      expect(applied.statusCode).toBe(202);
      const { id, receipt } = applied.json() as { id: string; receipt: string };
      const read = await app.inject({
        method: 'GET',
        url: `/apps/services/v1/applications/${id}`,
        headers: { 'x-receipt': receipt },
      });
      expect(read.statusCode).toBe(200);
      const search = await app.inject({
        method: 'POST',
        url: '/apps/services/v1/applications/search',
        headers: { authorization: 'Bearer staff' },
        payload: { idNumber: '440524188001010014' },
      });
      expect((search.json() as { total: number }).total).toBe(1);
      const bad = await app.inject({
        method: 'POST',
        url: '/apps/services/v1/applications',
        headers: { authorization: 'Bearer staff' },
        payload: { item: 'elderly-card', idNumber: '440524188001010015', name: '欧阳秀英', consent: true },
      });
      expect(bad.json()).toMatchObject({ status: 400, code: 'INVALID_ID_NUMBER' });
      expect(lines.length).toBeGreaterThan(5);
      const all = lines.join('');
      for (const secret of ['440524188001010014', '440524188001010015', '欧阳秀英', receipt]) {
        expect(all).not.toContain(secret);
      }
    } finally {
      await service.close();
      await app.close();
      await database.dispose();
    }
  });
});

describe('how long an application waits for the exchange (waitBeforePendingSeconds)', () => {
  // A stand-in for the 政务服务办's node: it holds the item's agreements and answers every check "no" —
  // after `answerAfterMs`, or never.
  async function slowNode(answerAfterMs: number | 'never') {
    const { createServer } = await import('node:http');
    const agreement = (resource: string) => ({
      agreement: {
        id: `GX-${resource}`,
        consumerCode: 'zhengwu',
        providerCode: resource.split('.')[0],
        resourceCode: resource,
        status: 'active',
        purpose: '一网通办',
        granted: { items: ['name', 'birth_date', 'status'], modes: ['verify', 'compute'] },
      },
    });
    const hanging: import('node:http').ServerResponse[] = [];
    const server = createServer((request, response) => {
      response.setHeader('content-type', 'application/json');
      if (request.url === '/local/v1/agreements') {
        const resources = ['gongan.household', 'gongan.residence_permit', 'minzheng.elderly_card'];
        response.end(JSON.stringify({ items: resources.map(agreement) }));
        return;
      }
      if (answerAfterMs === 'never') {
        hanging.push(response);
        return;
      }
      setTimeout(
        () => response.end(JSON.stringify({ result: { answer: false, results: [], missing: [] } })),
        answerAfterMs,
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const address = server.address() as import('node:net').AddressInfo;
    return {
      node: { url: `http://127.0.0.1:${address.port}`, localToken: 't' },
      close: () => {
        for (const response of hanging) response.destroy();
        return new Promise<void>((resolve) => server.close(() => resolve()));
      },
    };
  }

  async function serviceWaiting(seconds: number, node: { url: string; localToken: string }) {
    const { mkdtempSync, readFileSync, rmSync, writeFileSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const dir = mkdtempSync(join(tmpdir(), 'hutong-items-'));
    const yaml = readFileSync(join(import.meta.dirname, '../../../../services/items/elderly-card.yaml'), 'utf8');
    writeFileSync(
      join(dir, 'elderly-card.yaml'),
      yaml.replace(/^waitBeforePendingSeconds: \d+$/m, `waitBeforePendingSeconds: ${seconds}`),
    );
    const items = loadItemCatalog(dir);
    expect(items.get('elderly-card').waitBeforePendingSeconds).toBe(seconds);
    const database = await sqlite!.open<ServicesDatabase>();
    const store = new ServicesStore(database.db);
    await store.migrate();
    const exchange = new ExchangeFacts(new ExchangeClient({ node, timeoutMs: 300_000 }), 'zhengwu');
    const silent = { info: () => {}, warn: () => {}, error: () => {} };
    const service = new ServicesApp({
      items,
      store,
      exchange,
      batchExchange: exchange,
      clock: fixedClock('2026-06-30T02:00:00.000Z'),
      issuer: new CertificateIssuer(() => randomBytes(32), []),
      subjectKey: randomBytes(32),
      logger: silent,
      counterMember: 'zhengwu',
      asOfAllowed: 'anyone',
    });
    return {
      service,
      close: async () => {
        await service.close();
        await database.dispose();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }

  const applicant = { item: 'elderly-card', idNumber: '11010519491231002X', name: '张三', consent: true };

  it('waits for a department that is slow but answers, and decides at once', { timeout: 60_000 }, async () => {
    const node = await slowNode(1_000);
    const { service, close } = await serviceWaiting(60, node.node);
    try {
      const { view } = await service.apply(applicant, staff);
      expect(view).toMatchObject({ status: 'rejected', decidedInstantly: true });
    } finally {
      await close();
      await node.close();
    }
  });

  it('leaves an application to its instant attempt: the background retry does not take it meanwhile', {
    timeout: 60_000,
  }, async () => {
    const node = await slowNode(1_000);
    const { service, close } = await serviceWaiting(60, node.node);
    try {
      const applying = service.apply(applicant, staff);
      // The worker looks while the department has not answered yet: nothing is due.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(await service.retryDue()).toBe(0);
      const { view } = await applying;
      expect(view).toMatchObject({ status: 'rejected', decidedInstantly: true });
    } finally {
      await close();
      await node.close();
    }
  });

  it('keeps the application pending once the item’s wait is over', { timeout: 60_000 }, async () => {
    const node = await slowNode('never');
    const { service, close } = await serviceWaiting(1, node.node);
    try {
      const { view } = await service.apply(applicant, staff);
      expect(view).toMatchObject({ status: 'pending_verification', decision: null });
      expect(await service.get(view.id, { principal: staff })).toMatchObject({ lastError: 'TIMEOUT' });
    } finally {
      await close();
      await node.close();
    }
  });

  it('is part of the item definition: 20 seconds unless the item says otherwise, 1–120', async () => {
    const { itemDefinitionSchema } = await import('./definition');
    const shipped = loadItemCatalog(join(import.meta.dirname, '../../../../services/items'));
    for (const def of shipped.list()) expect(def.waitBeforePendingSeconds).toBe(20);
    const { waitBeforePendingSeconds: _omitted, ...withoutWait } = shipped.get('elderly-card');
    expect(itemDefinitionSchema.parse(withoutWait).waitBeforePendingSeconds).toBe(20);
    for (const bad of [0, 121, 2.5]) {
      expect(itemDefinitionSchema.safeParse({ ...withoutWait, waitBeforePendingSeconds: bad }).success).toBe(false);
    }
  });
});
