/**
 * A department's node installed as a city does it: the hub and the node each serve HTTPS with a
 * certificate from the city's CA and check each other against that CA alone. `hutong init node` writes the
 * node's configuration and keys; with the member's API token (issued by the department's administrator at
 * the hub) and the city secret it starts, registers its HTTPS address and keys at the hub, and witnesses the
 * hub's log over TLS.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent } from 'undici';
import { afterAll, describe, expect, it } from 'vitest';
import { loadHubConfig, loadNodeConfig } from './config';
import { initHub, runHub } from './production-hub';
import { initNode, runNode } from './production-node';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

/** A city CA and, signed by it, a certificate for 127.0.0.1 per name. */
function cityCa<Name extends string>(
  dir: string,
  names: readonly Name[],
): Record<Name, { cert: string; key: string }> & { ca: string } {
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: 'pipe' });
  const ca = join(dir, 'city-ca.crt');
  const caKey = join(dir, 'city-ca.key');
  openssl(
    'req',
    '-x509',
    '-newkey',
    'ec',
    '-pkeyopt',
    'ec_paramgen_curve:P-256',
    '-nodes',
    '-keyout',
    caKey,
    '-out',
    ca,
    '-days',
    '2',
    '-subj',
    '/CN=Qinghe city CA (test)',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  const issued = {} as Record<Name, { cert: string; key: string }>;
  for (const name of names) {
    const key = join(dir, `${name}.key`);
    const csr = join(dir, `${name}.csr`);
    const cert = join(dir, `${name}.crt`);
    const extensions = join(dir, `${name}.ext`);
    writeFileSync(extensions, 'subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth,clientAuth\n');
    openssl(
      'req',
      '-new',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      csr,
      '-subj',
      `/CN=${name}`,
    );
    openssl(
      'x509',
      '-req',
      '-in',
      csr,
      '-CA',
      ca,
      '-CAkey',
      caKey,
      '-CAcreateserial',
      '-out',
      cert,
      '-days',
      '2',
      '-extfile',
      extensions,
    );
    issued[name] = { cert, key };
  }
  return Object.assign(issued, { ca });
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as AddressInfo;
  await new Promise((done) => server.close(done));
  return port;
}

describe('a department’s node from its configuration', () => {
  it('joins the hub over TLS checked against the city’s CA, and witnesses its log', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hutong-city-'));
    folders.push(dir);
    const certificates = cityCa(dir, ['hub', 'gongan'] as const);
    const trust = new Agent({ connect: { ca: readFileSync(certificates.ca) } });
    const call = async (base: string, method: string, path: string, token?: string, body?: unknown) => {
      const response = await fetch(`${base}${path}`, {
        method,
        headers: {
          ...(token ? { authorization: `Bearer ${token}` } : {}),
          ...(body ? { 'content-type': 'application/json' } : {}),
        },
        body: body ? JSON.stringify(body) : undefined,
        dispatcher: trust,
      } as RequestInit);
      // biome-ignore lint/suspicious/noExplicitAny: answers of several shapes
      return { status: response.status, json: (await response.json()) as any };
    };

    const hubDir = join(dir, 'hub');
    const init = await initHub({ dir: hubDir, passwordCost: 1024 });
    const hub = await runHub(
      loadHubConfig(init.configFile, {
        HUTONG_LISTEN_PORT: '0',
        HUTONG_TLS_CERT: certificates.hub.cert,
        HUTONG_TLS_KEY: certificates.hub.key,
        HUTONG_TLS_CA: certificates.ca,
      }),
      { passwordCost: 1024 },
    );
    try {
      // The operator sets its password, registers the department and its administrator.
      const once = (
        await call(hub.url, 'POST', '/api/v1/auth/login', undefined, {
          username: init.username,
          password: init.oneTimePassword,
        })
      ).json.token;
      const operator = (
        await call(hub.url, 'POST', '/api/v1/auth/password', once, {
          currentPassword: init.oneTimePassword,
          newPassword: 'Copper-Meadow-6620',
        })
      ).json.token;
      expect(
        (
          await call(hub.url, 'POST', '/api/v1/members', operator, {
            code: 'gongan',
            name: '清河市公安局',
            nameEn: 'Qinghe Municipal Public Security Bureau',
            role: 'provider',
            contact: { person: '王建国', phone: '0571-88001000', email: 'gongan@qinghe.gov.cn' },
          })
        ).status,
      ).toBe(201);
      await call(hub.url, 'POST', '/api/v1/members/gongan/users', operator, {
        username: 'gongan.admin',
        displayName: '王建国',
        password: 'Harbor-Willow-3381',
        roles: ['admin', 'data_officer', 'reviewer'],
      });
      const departmentAdmin = (
        await call(hub.url, 'POST', '/api/v1/auth/login', undefined, {
          username: 'gongan.admin',
          password: 'Harbor-Willow-3381',
        })
      ).json.token;
      const issued = await call(hub.url, 'POST', '/api/v1/members/gongan/tokens', departmentAdmin, {
        label: '前置机 / node',
        roles: ['admin', 'data_officer', 'reviewer'],
      });
      expect(issued.status).toBe(201);
      const tokenFile = join(dir, 'gongan-token');
      writeFileSync(tokenFile, issued.json.token, { mode: 0o600 });

      // The department's node: configuration and keys, then the two files from the hub.
      const nodeDir = join(dir, 'gongan');
      const port = await freePort();
      const nodeInit = initNode({
        dir: nodeDir,
        member: 'gongan',
        hubUrl: hub.url,
        publicUrl: `https://127.0.0.1:${port}`,
        hubTokenFile: tokenFile,
        citySecretFile: join(hubDir, 'secrets', 'city-secret'),
      });
      expect(nodeInit.missing).toEqual({});
      for (const file of ['node.yaml', 'secrets/identity.json', 'secrets/witness-key', 'secrets/hub-token']) {
        expect(statSync(join(nodeDir, file)).mode & 0o777, file).toBe(0o600);
      }
      const node = await runNode(
        loadNodeConfig(nodeInit.configFile, {
          HUTONG_LISTEN_PORT: String(port),
          HUTONG_TLS_CERT: certificates.gongan.cert,
          HUTONG_TLS_KEY: certificates.gongan.key,
          HUTONG_TLS_CA: certificates.ca,
        }),
      );
      try {
        expect(node.url).toBe(`https://127.0.0.1:${port}`);
        // Registered at the hub under its HTTPS address, with its exchange and witness keys.
        const member = (await call(hub.url, 'GET', '/api/v1/members/gongan', operator)).json;
        expect(member.nodeUrl).toBe(`https://127.0.0.1:${port}`);
        expect(member.publicKeys.map((key: { algorithm: string }) => key.algorithm).sort()).toEqual([
          'ed25519',
          'ed25519-witness',
        ]);
        // The hub reaches the node over TLS (checked against the city's CA) and the node cosigns its log.
        await expect
          .poll(async () => (await call(hub.url, 'GET', '/ledger/witnesses')).json.items, { timeout: 20_000 })
          .toEqual([expect.objectContaining({ name: 'gongan', lastStatus: 200 })]);
        // A client that does not trust the city's CA is refused by both.
        await expect(fetch(`${node.url}/healthz`)).rejects.toThrow();
        await expect(fetch(`${hub.url}/healthz`)).rejects.toThrow();
      } finally {
        await node.close();
      }
    } finally {
      await hub.close();
      await trust.close();
    }
  }, 90_000);
});
