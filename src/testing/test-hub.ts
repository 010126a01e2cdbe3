/**
 * Starts a real demo hub for integration and browser tests, with an injected clock, a throwaway data
 * folder and silent logs: in-process (`createTestHub`, use `hub.app.inject`) or on a free loopback port.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DatabaseOptions } from '../platform/db/open';
import { createLogger } from '../platform/log/logger';
import { prepareDemoHub } from '../composition/demo';
import type { Hub } from '../composition/hub';
import { fixedClock } from '../core/ports/clock';
import type { DemoCredentials } from '../demo/seed';

export interface TestHubOptions {
  /** ISO instant the injected clock starts at (default: now). */
  now?: string;
  database?: DatabaseOptions;
  /** Load the small seed-1 city into the node stores (slower; off by default). */
  cityData?: boolean;
}

export interface InProcessTestHub {
  hub: Hub;
  clock: ReturnType<typeof fixedClock>;
  credentials: DemoCredentials;
  /** The hub's data folder (its SQLite database, ledger key and city secret). */
  dataDir: string;
  close(): Promise<void>;
}

export interface TestHub extends InProcessTestHub {
  url: string;
}

export async function createTestHub(options: TestHubOptions = {}): Promise<InProcessTestHub> {
  const dataDir = mkdtempSync(join(tmpdir(), 'hutong-hub-'));
  const clock = fixedClock(options.now ?? new Date().toISOString());
  const { hub, credentials } = await prepareDemoHub({
    dataDir,
    database: options.database,
    cityData: options.cityData ?? false,
    clock,
    passwordCost: 1024,
    logger: createLogger({ level: 'silent' }),
    // Every answer must be what its OpenAPI schema says, field for field.
    checkResponses: true,
  });
  return {
    hub,
    clock,
    credentials,
    dataDir,
    async close() {
      await hub.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

export async function startTestHub(options: TestHubOptions = {}): Promise<TestHub> {
  const inProcess = await createTestHub(options);
  await inProcess.hub.app.listen({ port: 0, host: '127.0.0.1' });
  const address = inProcess.hub.app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return { ...inProcess, url: `http://127.0.0.1:${port}` };
}

type Json = Record<string, unknown> & { code?: string };

/** One JSON call into the hub's app in-process (Fastify inject), with a bearer token when given. */
export async function injectJson(
  hub: InProcessTestHub,
  token: string | null,
  method: string,
  url: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Json; type: string }> {
  const response = await hub.hub.app.inject({
    method: method as 'GET',
    url,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...headers,
    },
    payload: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const json = response.body ? (JSON.parse(response.body) as Json) : ({} as Json);
  return { status: response.statusCode, json, type: String(response.headers['content-type'] ?? '') };
}
