/** Logs carry no secrets and no personal data: passwords, tokens and request bodies never reach them. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { prepareDemoHub } from './demo';
import { fixedClock } from '../core/ports/clock';
import { createLogger } from '../platform/log/logger';

describe('request logs', () => {
  it('do not contain passwords, bearer tokens or submitted text', async () => {
    const lines: string[] = [];
    const sink = new Writable({
      write(chunk, _encoding, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const dataDir = mkdtempSync(join(tmpdir(), 'hutong-log-'));
    const { hub, credentials } = await prepareDemoHub({
      dataDir,
      clock: fixedClock('2026-11-27T02:00:00.000Z'),
      passwordCost: 1024,
      logger: createLogger({ level: 'trace', destination: sink }),
    });
    try {
      const login = await hub.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'jingxin', password: 'qinghe-demo-2026' },
      });
      const sessionToken = JSON.parse(login.body).token as string;
      await hub.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { username: 'jingxin', password: 'wrong-secret-123' },
      });
      await hub.app.inject({
        method: 'POST',
        url: '/api/v1/agreements',
        headers: { authorization: `Bearer ${sessionToken}` },
        payload: {
          resourceCode: 'gongan.household',
          purpose: '核验 11010519491231002X 张三',
          legalBasis: 'x',
          items: ['id_number'],
          modes: ['verify'],
          validFrom: '2026-11-27',
          validTo: '2027-01-01',
          rateLimitPerMinute: 1,
        },
      });
      const log = lines.join('');
      expect(log.length).toBeGreaterThan(0);
      for (const secret of [
        'qinghe-demo-2026',
        'wrong-secret-123',
        sessionToken,
        credentials.tokens.jingxin!,
        '11010519491231002X',
        '张三',
      ]) {
        expect(log).not.toContain(secret);
      }
    } finally {
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
