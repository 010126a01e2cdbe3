/**
 * A city under the 国密 suite (`hutong init hub|node --crypto gm`): the provider's register is imported with
 * people's ID numbers, names and addresses sealed (SM4 + HMAC-SM3), the node answers another department's
 * signed question about a resident by ID number all the same, and its database file, read raw, holds none
 * of them in clear.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runImport } from '../cli/data-handlers';
import { writeCityFiles } from '../datasets/files';
import { SCALES } from '../datasets/generator';
import { demoCatalog } from '../demo/catalog';
import { ConfigError, loadHubConfig, loadNodeConfig } from './config';
import { type Member, newestNodeKey } from '../core/members/member';
import { type HttpRequestParts, signRequest, verifyResponse } from '../node/exchange/http-signatures';
import { loadOrCreateIdentity } from '../node/store/node-keys';
import { opensslSigner, opensslVerifier } from '../platform/crypto/gm/openssl.test-helper';
import { pem, sm2PublicKeyToSpki } from '../platform/crypto/gm/sm2';
import {
  ageQuestion,
  ageQuestionAgreement,
  freePort,
  jsonCaller,
  registerDepartment,
  takeOver,
} from './installation.test-helper';
import { initHub, runHub } from './production-hub';
import { initNode, personalDataSealerOf, rotateDataKey, runNode } from './production-node';

const folders: string[] = [];
afterAll(() => {
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
});

function csvRows(file: string): Record<string, string>[] {
  const [header, ...lines] = readFileSync(file, 'utf8').trim().split('\n');
  const names = (header as string).split(',');
  return lines.map((line) => Object.fromEntries(line.split(',').map((cell, i) => [names[i], cell])));
}

describe('a department’s node under the 国密 suite', () => {
  it('keeps its people’s data sealed at rest and still answers about them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'hutong-gm-node-'));
    folders.push(dir);
    const call = jsonCaller();
    const init = await initHub({ dir: join(dir, 'hub'), passwordCost: 1024, crypto: 'gm' });
    const hub = await runHub(loadHubConfig(init.configFile, { HUTONG_LOG_LEVEL: 'warn', HUTONG_LISTEN_PORT: '0' }), {
      passwordCost: 1024,
    });
    const environment = (port: number) => ({ HUTONG_LOG_LEVEL: 'warn', HUTONG_LISTEN_PORT: String(port) });
    try {
      const operator = await takeOver(call, hub.url, init, 'Copper-Meadow-6620');
      const gongan = await registerDepartment(call, hub.url, operator, dir, 'gongan', 'provider');
      const zhengwu = await registerDepartment(call, hub.url, operator, dir, 'zhengwu', 'consumer');
      // The suite a node announces is checked: a bad value is a coded 400, another suite a coded 409.
      const announce = (crypto: string) =>
        call(hub.url, 'PUT', '/api/v1/members/gongan/node', gongan.admin, { url: 'http://127.0.0.1:9', crypto });
      expect((await announce('rsa')).json).toMatchObject({ status: 400, code: 'VALIDATION_FAILED' });
      expect((await announce('intl')).json).toMatchObject({ status: 409, code: 'CRYPTO_SUITE_MISMATCH' });
      const household = demoCatalog.find((entry) => entry.draft.code === 'gongan.household')?.draft;
      expect((await call(hub.url, 'POST', '/api/v1/catalog/resources', gongan.admin, household)).status).toBe(201);

      const [providerPort, consumerPort] = [await freePort(), await freePort()];
      const node = (member: string, port: number, tokenFile: string, crypto: 'gm') =>
        initNode({
          dir: join(dir, member),
          member,
          hubUrl: hub.url,
          publicUrl: `http://127.0.0.1:${port}`,
          hubTokenFile: tokenFile,
          citySecretFile: join(dir, 'hub', 'secrets', 'city-secret'),
          crypto,
        }).configFile;
      const providerConfigFile = node('gongan', providerPort, gongan.tokenFile, 'gm');
      expect(existsSync(join(dir, 'gongan', 'secrets', 'data-key'))).toBe(true);
      const providerConfig = loadNodeConfig(providerConfigFile, environment(providerPort));
      expect(providerConfig.crypto).toBe('gm');
      // Without its data key a 国密 node does not start, and says which key is missing.
      expect(() =>
        personalDataSealerOf({ ...providerConfig, secrets: { ...providerConfig.secrets, dataKeyFile: undefined } }),
      ).toThrow(ConfigError);

      const cityFiles = join(dir, 'city');
      writeCityFiles(cityFiles, { seed: 1, scale: SCALES.small });
      const registerFile = join(cityFiles, 'gongan.household.csv');
      const io = { out: () => undefined, err: () => undefined };
      expect(
        (
          await runImport(
            { resource: 'gongan.household', file: registerFile, data: '', config: providerConfigFile },
            io,
          )
        ).exitCode,
      ).toBe(0);

      const provider = await runNode(providerConfig);
      const consumerConfig = loadNodeConfig(
        node('zhengwu', consumerPort, zhengwu.tokenFile, 'gm'),
        environment(consumerPort),
      );
      // A node configured for another suite than the city's is refused at its first contact, and stops.
      await expect(runNode({ ...consumerConfig, crypto: 'intl' })).rejects.toMatchObject({
        code: 'CRYPTO_SUITE_MISMATCH',
      });
      const consumer = await runNode(consumerConfig);
      const residents = csvRows(registerFile);
      try {
        const applied = await call(hub.url, 'POST', '/api/v1/agreements', zhengwu.admin, ageQuestionAgreement);
        expect(applied.json.status).toBe('active');
        const asOf = new Date().toISOString().slice(0, 10);
        const ask = (subject: string) =>
          call(
            consumer.url,
            'POST',
            '/local/v1/query',
            consumer.localToken,
            ageQuestion(applied.json.id, subject, asOf),
          );
        const old = residents.find((row) => (row.birth_date as string) < '1950-01-01') as Record<string, string>;
        const young = residents.find((row) => (row.birth_date as string) > '2000-01-01') as Record<string, string>;
        await expect.poll(async () => (await ask(old.id_number as string)).status, { timeout: 20_000 }).toBe(200);
        expect((await ask(old.id_number as string)).json.result.answer).toBe(true);
        expect((await ask(young.id_number as string)).json.result.answer).toBe(false);
        // Hub and nodes key their hashes alike (HMAC-SM3): the hub finds the officer's accesses in the log.
        const byOfficer = async () =>
          (await call(hub.url, 'GET', '/api/v1/ledger/entries?officer=clerk-1&kind=access', zhengwu.admin)).json.total;
        await expect.poll(byOfficer, { timeout: 20_000 }).toBeGreaterThanOrEqual(3);
        // Those accesses reached the log sealed with SM2: both nodes' keys are SM2, registered as such.
        const members = (await call(hub.url, 'GET', '/api/v1/members', zhengwu.admin)).json.items as Member[];
        for (const code of ['gongan', 'zhengwu']) {
          const member = members.find((candidate) => candidate.code === code) as Member;
          expect(newestNodeKey(member)?.algorithm).toBe('sm2');
        }
        const peerKey = await fetch(new URL('/peer/v1/key', provider.url)).then((response) => response.json());
        expect(peerKey).toMatchObject({ algorithm: 'sm2' });
        expect(Buffer.from(peerKey.publicKey, 'base64')).toHaveLength(65);

        // A request signed by OpenSSL's command line with 政务服务办's SM2 node key (its identity file as the
        // PEM OpenSSL reads) is served by 公安's node; the answer's signature verifies with OpenSSL.
        const keyFile = join(dir, 'zhengwu.key.pem');
        const identity = loadOrCreateIdentity(join(dir, 'zhengwu', 'secrets', 'identity.json'));
        writeFileSync(keyFile, pem('PRIVATE KEY', identity.privateKeyPkcs8), { mode: 0o600 });
        const providerKeyFile = join(dir, 'gongan.pub.pem');
        writeFileSync(providerKeyFile, pem('PUBLIC KEY', sm2PublicKeyToSpki(Buffer.from(peerKey.publicKey, 'base64'))));
        const zhengwuKey = newestNodeKey(members.find((candidate) => candidate.code === 'zhengwu') as Member)!;
        const asked: HttpRequestParts = {
          method: 'POST',
          target: '/peer/v1/verify',
          headers: {
            'content-type': 'application/json',
            'hutong-agreement': applied.json.id,
            'hutong-purpose': encodeURIComponent(ageQuestionAgreement.purpose),
            'hutong-officer': 'clerk-openssl',
            'hutong-case': 'CASE-OPENSSL-1',
            'hutong-request-id': randomUUID(),
          },
          body: Buffer.from(
            JSON.stringify({
              subject: old.id_number,
              predicate: { op: 'gte', item: { ageAt: asOf, of: 'birth_date' }, value: 60 },
            }),
          ),
        };
        asked.headers = signRequest(asked, {
          key: opensslSigner(`zhengwu:${zhengwuKey.id}`, keyFile),
          created: new Date(),
          nonce: randomUUID(),
          tag: 'hutong-request',
        });
        expect(asked.headers['signature-input']).toContain('alg="sm2-sm3"');
        const response = await fetch(new URL('/peer/v1/verify', provider.url), {
          method: 'POST',
          headers: asked.headers as Record<string, string>,
          body: Buffer.from(asked.body),
        });
        const answer = {
          status: response.status,
          headers: Object.fromEntries(response.headers),
          body: new Uint8Array(await response.arrayBuffer()),
        };
        expect(answer.status, Buffer.from(answer.body).toString('utf8')).toBe(200);
        expect(JSON.parse(Buffer.from(answer.body).toString('utf8')).result.answer).toBe(true);
        const checked = verifyResponse(answer, asked, {
          now: new Date(),
          windowSeconds: 300,
          lookupKey: () => opensslVerifier(providerKeyFile, dir),
        });
        expect(checked.keyId).toBe(peerKey.keyId);
        // The same answer with another status is refused by OpenSSL's check (the test can fail).
        expect(() =>
          verifyResponse({ ...answer, status: 403 }, asked, {
            now: new Date(),
            windowSeconds: 300,
            lookupKey: () => opensslVerifier(providerKeyFile, dir),
          }),
        ).toThrow(expect.objectContaining({ code: 'SIGNATURE_INVALID' }));
      } finally {
        await consumer.close();
        await provider.close();
      }

      // The node's database, read raw: no resident's ID number, name or address anywhere in it.
      const file = join(dir, 'gongan', 'node.sqlite');
      const bytes = Buffer.concat([
        readFileSync(file),
        existsSync(`${file}-wal`) ? readFileSync(`${file}-wal`) : Buffer.alloc(0),
      ]);
      const people = residents.slice(0, 300).flatMap((row) => [row.id_number, row.name, row.address]) as string[];
      expect(people.filter((value) => bytes.includes(Buffer.from(value, 'utf8')))).toEqual([]);
      // Not personal: dates and districts stay as they were (the check above is not blind).
      expect(bytes.includes(Buffer.from(residents[0]?.birth_date as string, 'utf8'))).toBe(true);

      // A new data key: every sealed row re-sealed under it, the node answers with it, the old key is gone.
      const oldKey = readFileSync(join(dir, 'gongan', 'secrets', 'data-key'), 'utf8');
      expect(await rotateDataKey(providerConfig)).toEqual({ 'gongan.household': residents.length });
      expect(readFileSync(join(dir, 'gongan', 'secrets', 'data-key'), 'utf8')).not.toBe(oldKey);
      const restarted = await runNode(providerConfig);
      const again = await runNode(consumerConfig);
      try {
        const applied = (await call(hub.url, 'GET', '/api/v1/agreements?side=consumer', zhengwu.admin)).json.items[0];
        const old = residents.find((row) => (row.birth_date as string) < '1950-01-01') as Record<string, string>;
        const answer = await call(
          again.url,
          'POST',
          '/local/v1/query',
          again.localToken,
          ageQuestion(applied.id, old.id_number as string, new Date().toISOString().slice(0, 10)),
        );
        expect(answer.json.result.answer).toBe(true);
      } finally {
        await again.close();
        await restarted.close();
      }
    } finally {
      await hub.close();
    }
  }, 90_000);
});
