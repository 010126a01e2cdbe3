/** Starts the demo city: a hub with the seeded 清河市 members, catalog and applications, kept in a data folder. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDemoCity } from '../datasets/demo-city';
import type { DemoCredentials } from '../demo/seed';
import { demoCovertConsumers, demoIdentity } from '../demo/identity';
import { demoMembers } from '../demo/members';
import { demoPublications } from '../demo/publications';
import { seedDemo } from '../demo/seed';
import { loadOrCreateCitySecret } from './city-secret';
import { createHub, type Hub, type HubOptions, projectRoot } from './hub';
import { loadItemCatalog } from '../apps/services/service/loader';
import { verifyQuestions } from '../apps/services/service/definition';
import { type NodeOptions, type RunningNode, startNode } from './node';
import { createLogger } from '../platform/log/logger';
import { nodeIdentityVerifier } from '../hub/clients/identity-verifier';
import { systemClock } from '../platform/clock/system-clock';
import { createHostedApps } from './apps';
import type { DatabaseOptions } from '../platform/db/open';
import { credentialsPath, type DemoCredentialsFile, readDemoCredentials } from './demo-credentials';
import type { NodeSealers } from '../datasets/node-stores';
import type { PersonalDataSealer } from '../core/ports/personal-data';
import { loadOrCreateSeed } from '../platform/crypto/seed-file';
import { type CryptoSuiteName, cryptoSuite } from './crypto-suite';

/** A data folder made under one cryptographic suite started with the other (its keys and data would not fit). */
export class DemoSuiteMismatch extends Error {
  readonly code = 'DATA_SUITE_MISMATCH';
  constructor(
    readonly dataDir: string,
    readonly recorded: CryptoSuiteName,
  ) {
    super(
      `${dataDir} holds a city made under the ${recorded} suite: start it with --crypto ${recorded}, or use another --data folder`,
    );
  }
}

/**
 * The suite a demo data folder runs under: the one it was made with (recorded at first start), which a
 * request for the other one cannot change.
 */
export function demoCryptoSuite(dataDir: string, requested?: CryptoSuiteName): CryptoSuiteName {
  const file = join(dataDir, 'crypto-suite');
  if (existsSync(file)) {
    const recorded = readFileSync(file, 'utf8').trim() === 'gm' ? 'gm' : 'intl';
    if (requested && requested !== recorded) throw new DemoSuiteMismatch(dataDir, recorded);
    return recorded;
  }
  const suite = requested ?? 'intl';
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  writeFileSync(file, `${suite}\n`, { mode: 0o600 });
  return suite;
}

/** Under the 国密 suite, each department's data key (`nodes/<member>.data-key`, made at first use). */
export function demoNodeSealers(dataDir: string, suite: CryptoSuiteName): NodeSealers | undefined {
  const sealerFrom = cryptoSuite(suite).personalDataSealer;
  if (!sealerFrom) return undefined;
  const sealers = new Map<string, PersonalDataSealer>();
  return (member) => {
    let sealer = sealers.get(member);
    if (!sealer) {
      sealer = sealerFrom(loadOrCreateSeed(join(dataDir, 'nodes', `${member}.data-key`)));
      sealers.set(member, sealer);
    }
    return sealer;
  };
}

export interface DemoOptions extends PrepareDemoOptions {
  port: number;
  host: string;
  /** Settings every node of the demo gets (staleness limit, sync interval, batch size). */
  node?: Partial<
    Pick<
      NodeOptions,
      | 'stalenessLimitMs'
      | 'syncIntervalMs'
      | 'signatureWindowSeconds'
      | 'maxBatch'
      | 'shipIntervalMs'
      | 'checkResponses'
    >
  >;
  /** False: the hub alone, without the departments' nodes (a test then plays a node itself). */
  nodes?: boolean;
}

export { credentialsPath, type DemoCredentialsFile, readDemoCredentials } from './demo-credentials';

export interface PrepareDemoOptions extends HubOptions {
  /** Generate and load the synthetic city (small, seed 1) into the node stores when they are empty. */
  cityData?: boolean;
  /** Where the stores are, when not SQLite files in the data folder (the test cities on PostgreSQL). */
  placement?: DemoPlacement | undefined;
}

/** The database of the hub, of each hosted application and of each member's node. */
export interface DemoPlacement {
  hub: DatabaseOptions;
  app(name: 'services' | 'evaluation'): DatabaseOptions;
  node(member: string): DatabaseOptions;
}

/** Seeds the hub if it is empty; a restart with the same data folder keeps everything. */
export async function prepareDemoHub(
  options: PrepareDemoOptions,
): Promise<{ hub: Hub; credentials: DemoCredentials; seeded: boolean }> {
  mkdirSync(options.dataDir, { recursive: true, mode: 0o700 });
  const placement = options.placement;
  const crypto = demoCryptoSuite(options.dataDir, options.crypto);
  if (options.cityData ?? true) {
    await ensureDemoCity(placement ? placement.node : options.dataDir, {
      seed: 1,
      scale: 'small',
      sealers: demoNodeSealers(options.dataDir, crypto),
    });
  }
  // Residents' logins are checked through 政务服务办's node; 公安 may flag accesses covert (src/demo/identity.ts).
  const hub = await createHub({
    identity: demoIdentity,
    covertConsumers: demoCovertConsumers,
    ...options,
    crypto,
    ...(placement ? { database: placement.hub } : {}),
  });
  const existing = readDemoCredentials(options.dataDir);
  if ((await hub.store.listMembers()).length > 0) {
    // Already seeded: keep the tokens written at first start (a lost file only costs the CLI its shortcut).
    return { hub, credentials: existing ?? { password: '', users: [], tokens: {} }, seeded: false };
  }
  const serviceQuestions = loadItemCatalog(join(projectRoot, 'services', 'items'))
    .list()
    .flatMap(verifyQuestions);
  const credentials = await seedDemo((instant) => hub.serviceAt(instant), hub.clock.now(), serviceQuestions);
  return { hub, credentials, seeded: true };
}

export interface DemoNodeInfo {
  url: string;
  localToken: string;
}

export async function startDemo(options: DemoOptions): Promise<{
  hub: Hub;
  url: string;
  credentials: DemoCredentials;
  nodes: RunningNode[];
  crypto: CryptoSuiteName;
  close(): Promise<void>;
}> {
  const logger = options.logger ?? createLogger({ level: options.logLevel ?? 'info' });
  const nodeInfo: Record<string, DemoNodeInfo> = {};
  let url: string | undefined;
  let seededTokens: Record<string, string> = {};
  const placement = options.placement;
  const crypto = demoCryptoSuite(options.dataDir, options.crypto);
  const hosted = await createHostedApps(
    {
      dataDir: options.dataDir,
      clock: options.clock ?? systemClock,
      logger,
      hubUrl: () => url,
      nodeOf: (code) => nodeInfo[code],
      hubTokenOf: (code) => seededTokens[code] ?? readDemoCredentials(options.dataDir)?.tokens[code],
      crypto,
    },
    placement
      ? { services: { database: placement.app('services') }, evaluation: { database: placement.app('evaluation') } }
      : {},
  );
  const { hub, credentials } = await prepareDemoHub({ ...options, crypto, logger, apps: hosted.apps });
  seededTokens = credentials.tokens;
  await hub.app.listen({ port: options.port, host: options.host });
  const address = hub.app.server.address();
  const hubPort = typeof address === 'object' && address ? address.port : options.port;
  url = `http://${options.host}:${hubPort}`;
  const citySecret = loadOrCreateCitySecret(options.dataDir);
  const sealers = demoNodeSealers(options.dataDir, crypto);
  const nodes: RunningNode[] = [];
  const withNodes =
    options.nodes === false
      ? []
      : demoMembers.filter((member) => member.role === 'provider' || member.role === 'consumer');
  const token = (code: string) => credentials.tokens[code] ?? readDemoCredentials(options.dataDir)?.tokens[code];
  for (const [index, member] of withNodes.entries()) {
    const hubToken = token(member.code);
    if (!hubToken) continue;
    const node = await startNode({
      memberCode: member.code,
      dataDir: options.dataDir,
      hubUrl: url,
      hubToken,
      citySecret,
      host: options.host,
      // Ports follow the hub's, so two demos with different --port run side by side.
      // Port 0 (tests) lets every node pick a free port.
      port: options.port === 0 ? 0 : options.port + 1 + index,
      publications: demoPublications(member.code),
      covertConsumers: demoCovertConsumers,
      crypto,
      personalData: sealers?.(member.code),
      ...(placement ? { database: placement.node(member.code) } : {}),
      clock: options.clock,
      logger,
      ...options.node,
    });
    nodes.push(node);
    nodeInfo[member.code] = { url: node.url, localToken: node.localToken };
  }
  const identityNode = nodes.find((node) => node.memberCode === demoIdentity.via);
  if (identityNode) {
    hub.dataUsage.setIdentityVerifier(nodeIdentityVerifier(identityNode));
  }
  const file: DemoCredentialsFile = { url, ...credentials, nodes: nodeInfo };
  writeFileSync(credentialsPath(options.dataDir), `${JSON.stringify(file, null, 2)}\n`, { mode: 0o600 });
  await hosted.start();
  return {
    hub,
    url,
    credentials,
    nodes,
    crypto,
    async close() {
      await hosted.close();
      for (const node of nodes) await node.close();
      await hub.close();
    },
  };
}

/** The secret keying subject hashes in audit events; one per city, created at first start. */
export { loadOrCreateCitySecret } from './city-secret';
