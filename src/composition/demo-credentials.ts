/** The demo's credentials file (tokens and node addresses of the seeded members), read by the CLI. */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DemoCredentials } from '../demo/seed';

export interface DemoCredentialsFile extends DemoCredentials {
  url: string;
  nodes?: Record<string, { url: string; localToken: string }>;
}

export function credentialsPath(dataDir: string): string {
  return join(dataDir, 'credentials.json');
}

export function readDemoCredentials(dataDir: string): DemoCredentialsFile | undefined {
  const file = credentialsPath(dataDir);
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as DemoCredentialsFile) : undefined;
}
