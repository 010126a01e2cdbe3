import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadHubConfig } from './config';

const dir = mkdtempSync(join(tmpdir(), 'hutong-config-'));
function file(text: string): string {
  const path = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(path, text);
  return path;
}

const minimal = `
publicUrl: https://hub.qinghe.gov.cn
database:
  url: postgres://hutong@db/hutong
secrets:
  ledgerKeyFile: secrets/ledger-key
  citySecretFile: /etc/hutong/city-secret
`;

function problemsOf(load: () => unknown): { key: string; message: string }[] {
  try {
    load();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return [...(error as ConfigError).problems];
  }
  throw new Error('expected a ConfigError');
}

describe('hub configuration', () => {
  it('fills defaults and resolves relative paths against the file', () => {
    const path = file(minimal);
    const config = loadHubConfig(path);
    expect(config.listen).toEqual({ host: '127.0.0.1', port: 8443 });
    expect(config.database).toEqual({ url: 'postgres://hutong@db/hutong', pool: 10, statementTimeoutMs: 30_000 });
    expect(config.secrets).toEqual({
      ledgerKeyFile: join(dir, 'secrets/ledger-key'),
      citySecretFile: '/etc/hutong/city-secret',
    });
    expect(config.retention.accessRecordsDays).toBe(1095);
    expect(config.tls).toBeUndefined();
  });

  it('takes HUTONG_* environment variables over the file, typed as the key', () => {
    const config = loadHubConfig(file(minimal), {
      HUTONG_DATABASE_URL: 'postgres://other@db2/hutong',
      HUTONG_LISTEN_PORT: '9443',
      HUTONG_DATABASE_STATEMENT_TIMEOUT_MS: '5000',
      HUTONG_NODE_NETWORKS: '10.0.0.0/8, 192.168.0.0/16',
      HUTONG_UNRELATED: 'x',
    });
    expect(config.database.url).toBe('postgres://other@db2/hutong');
    expect(config.database.statementTimeoutMs).toBe(5000);
    expect(config.listen.port).toBe(9443);
    expect(config.nodeNetworks).toEqual(['10.0.0.0/8', '192.168.0.0/16']);
  });

  it('hosts an application only where its section is given, its files resolved against the configuration', () => {
    expect(loadHubConfig(file(minimal)).apps).toEqual({ services: undefined, evaluation: undefined });
    const config = loadHubConfig(
      file(
        `${minimal}apps:\n  services:\n    nodeUrl: https://10.0.0.4:9443\n    localTokenFile: secrets/zw-local\n    hubTokenFile: /etc/hutong/zw-hub\n`,
      ),
      {
        HUTONG_APPS_EVALUATION_NODE_URL: 'https://10.0.0.5:9443',
        HUTONG_APPS_EVALUATION_LOCAL_TOKEN_FILE: 'secrets/jx-local',
        HUTONG_APPS_EVALUATION_HUB_TOKEN_FILE: 'secrets/jx-hub',
        HUTONG_APPS_EVALUATION_DATABASE_URL: 'sqlite:apps/evaluation.sqlite',
      },
    );
    expect(config.apps.services).toEqual({
      nodeUrl: 'https://10.0.0.4:9443',
      localTokenFile: join(dir, 'secrets/zw-local'),
      hubTokenFile: '/etc/hutong/zw-hub',
      database: undefined,
    });
    expect(config.apps.evaluation?.database).toEqual({
      url: `sqlite:${join(dir, 'apps/evaluation.sqlite')}`,
      pool: 10,
      statementTimeoutMs: 30_000,
    });
    expect(config.dataDir).toBe(dir);
    expect(
      problemsOf(() => loadHubConfig(file(`${minimal}apps:\n  services:\n    nodeUrl: not-a-url\n`))).map(
        (problem) => problem.key,
      ),
    ).toEqual(expect.arrayContaining(['apps.services.nodeUrl', 'apps.services.localTokenFile']));
  });

  it('names the key of every mistake', () => {
    const problems = problemsOf(() =>
      loadHubConfig(file(`${minimal}\nlisten: { port: 70000 }\nretention: { accessRecordsDays: 30 }\ndatabse: {}\n`), {
        HUTONG_DATABASE_POOL: 'many',
      }),
    );
    expect(problems.map((problem) => problem.key).sort()).toEqual([
      '(file)',
      'database.pool',
      'listen.port',
      'retention.accessRecordsDays',
    ]);
    // A misspelt key is named by the message of the file-level problem.
    expect(problems.find((problem) => problem.key === '(file)')?.message).toMatch(/databse/);
    expect(problemsOf(() => loadHubConfig(file('publicUrl: ftp://x\n'))).map((p) => p.key)).toEqual(
      expect.arrayContaining(['publicUrl', 'database', 'secrets']),
    );
    expect(problemsOf(() => loadHubConfig(file('- a list\n')))[0]?.key).toBe('(file)');
    expect(problemsOf(() => loadHubConfig(join(dir, 'missing.yaml')))[0]?.key).toBe('(file)');
  });
});
