/**
 * The hosted applications (一网通办, 亩均论英雄) on a running test city: garbage on every one of their routes,
 * by every kind of caller, gets a coded 4xx — never a 5xx — and changes nothing already stored.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestCity, type TestCity } from '../testing/test-city';

let city: TestCity;

beforeAll(async () => {
  city = await startTestCity();
}, 120_000);
afterAll(async () => {
  await city.close();
});

async function stored(): Promise<string> {
  const headers = (member: string) => ({ authorization: `Bearer ${city.credentials.tokens[member]}` });
  const applications = await fetch(`${city.url}/apps/services/v1/applications`, { headers: headers('zhengwu') });
  const evaluations = await fetch(`${city.url}/apps/evaluation/v1/evaluations`, { headers: headers('jingxin') });
  return JSON.stringify([applications.status, await applications.text(), evaluations.status, await evaluations.text()]);
}

describe('hosted applications under garbage', () => {
  it('never answer 5xx on any route, answer problems with a code, and lose nothing', async () => {
    const before = await stored();
    const spec = (await (await fetch(`${city.url}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, unknown>>;
    };
    const routes = Object.entries(spec.paths).filter(([path]) => path.startsWith('/apps/'));
    expect(routes.length).toBeGreaterThan(5);
    const garbage: unknown[] = [null, 42, 'text', [], { item: ['x'] }, { year: 'last', config: 7 }, { page: -1 }];
    const callers = [undefined, 'zhengwu', 'jingxin', 'gongan'];
    for (const [path, operations] of routes) {
      const url = path.replace(/\{[^}]+\}/g, '%E2%9C%93');
      for (const method of Object.keys(operations).filter((m) => ['get', 'post', 'put', 'delete'].includes(m))) {
        for (const body of method === 'get' || method === 'delete' ? [undefined] : garbage) {
          for (const member of callers) {
            const response = await fetch(`${city.url}${url}?page=abc&q=%00`, {
              method: method.toUpperCase(),
              headers: {
                ...(member ? { authorization: `Bearer ${city.credentials.tokens[member]}` } : {}),
                ...(body === undefined ? {} : { 'content-type': 'application/json' }),
              },
              body: body === undefined ? undefined : JSON.stringify(body),
            });
            const what = `${method} ${url} ${JSON.stringify(body)} as ${member ?? 'anonymous'}`;
            expect(response.status, what).toBeLessThan(500);
            if (response.status >= 400) {
              const problem = (await response.json()) as { code?: unknown };
              expect(typeof problem.code, what).toBe('string');
            } else {
              await response.arrayBuffer();
            }
          }
        }
      }
    }
    expect(await stored()).toBe(before);
  }, 120_000);
});
