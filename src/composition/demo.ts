/** Starts the demo city: a hub with the seeded 清河市 members, catalog and applications, kept in a data folder. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDemoCity } from '../datasets/demo-city';
import type { DemoCredentials } from '../demo/seed';
import { seedDemo } from '../demo/seed';
import { createHub, type Hub, type HubOptions } from './hub';

export interface DemoOptions extends PrepareDemoOptions {
  port: number;
  host: string;
}

export interface DemoCredentialsFile extends DemoCredentials {
  url: string;
}

export function credentialsPath(dataDir: string): string {
  return join(dataDir, 'credentials.json');
}

export function readDemoCredentials(dataDir: string): DemoCredentialsFile | undefined {
  const file = credentialsPath(dataDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoCredentialsFile) : undefined;
}

export interface PrepareDemoOptions extends HubOptions {
  /** Generate and load the synthetic city (small, seed 1) into the node stores when they are empty. */
  cityData?: boolean;
}

/** Seeds the hub if it is empty; a restart with the same data folder keeps everything. */
export async function prepareDemoHub(
  options: PrepareDemoOptions,
): Promise<{ hub: Hub; credentials: DemoCredentials; seeded: boolean }> {
  mkdirSync(options.dataDir, { recursive: true });
  if (options.cityData ?? true) await ensureDemoCity(options.dataDir, { seed: 1, scale: 'small' });
  const hub = await createHub(options);
  const existing = readDemoCredentials(options.dataDir);
  if ((await hub.store.listMembers()).length > 0) {
    // Already seeded: keep the tokens written at first start (a lost file only costs the CLI its shortcut).
    return { hub, credentials: existing ?? { password: '', users: [], tokens: {} }, seeded: false };
  }
  const credentials = await seedDemo((instant) => hub.serviceAt(instant), hub.clock.now());
  return { hub, credentials, seeded: true };
}

export async function startDemo(
  options: DemoOptions,
): Promise<{ hub: Hub; url: string; credentials: DemoCredentials }> {
  const { hub, credentials } = await prepareDemoHub(options);
  await hub.app.listen({ port: options.port, host: options.host });
  const url = `http://${options.host}:${options.port}`;
  const file: DemoCredentialsFile = { url, ...credentials };
  writeFileSync(credentialsPath(options.dataDir), `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  return { hub, url, credentials };
}
