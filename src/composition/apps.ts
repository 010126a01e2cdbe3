/**
 * The applications hosted on the hub's server (the demo's, or a city's `hutong hub` with an `apps` section) —
 * 一网通办 (政务服务办) and 亩均论英雄 (经信局) — each wired to its own member's node through the exchange
 * client API, with its own database. The demo's node URLs are only known once its nodes have started, hence
 * the lazy `nodeOf`.
 */
import type { Logger } from 'pino';
import type { HostedApp } from '../hub/http/hub-app';
import type { Clock } from '../core/ports/clock';
import { createServicesApp, type ServicesAppSettings } from './services-app';
import { createEvaluationHostedApp, type EvaluationAppSettings } from './evaluation-app';
import type { CryptoSuiteName } from './crypto-suite';

export interface AppContext {
  dataDir: string;
  clock: Clock;
  logger: Logger;
  /** The hub's URL, once it listens. */
  hubUrl(): string | undefined;
  /** A member's node (URL and local token), once started. */
  nodeOf(memberCode: string): { url: string; localToken: string } | undefined;
  /** A member's hub API token (for ledger lookups). */
  hubTokenOf(memberCode: string): string | undefined;
  /** How the applications reach nodes and the hub (a city CA's trust); default: the global fetch. */
  fetch?: typeof fetch | undefined;
  /** The city's cryptographic suite: under `gm` the issuing offices sign certificates with SM2. */
  crypto?: CryptoSuiteName | undefined;
}

/** Which applications to host (both by default), and each one's settings. */
export interface HostedAppsSettings {
  services?: ServicesAppSettings | false;
  evaluation?: EvaluationAppSettings | false;
}

export interface HostedApps {
  apps: HostedApp[];
  /** Background work (retries, sweeps) starts once the nodes are up; stopped on close. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Each application adds itself here: its routes under /apps/<name>/v1, its start and close hooks. */
export async function createHostedApps(context: AppContext, settings: HostedAppsSettings = {}): Promise<HostedApps> {
  const apps: HostedApp[] = [];
  const starters: (() => Promise<void>)[] = [];
  const closers: (() => Promise<void>)[] = [];
  // 一网通办 (政务服务办): service items, applications, certificates, 免申即享 sweeps.
  if (settings.services !== false) {
    const services = await createServicesApp(context, settings.services);
    apps.push(services.app);
    starters.push(services.start);
    closers.push(services.close);
  }
  // 亩均论英雄 (经信局): enterprise evaluation from eight departments' figures, compute mode only.
  if (settings.evaluation !== false) {
    const evaluation = await createEvaluationHostedApp(context, settings.evaluation);
    apps.push(evaluation.app);
    starters.push(evaluation.start);
    closers.push(evaluation.close);
  }
  return {
    apps,
    async start() {
      for (const start of starters) await start();
    },
    async close() {
      for (const close of closers.reverse()) await close();
    },
  };
}
