/**
 * CLI of 一网通办 against a running demo (`services items|apply|sweep|list|retry`) and the offline check of
 * an electronic certificate (`cert verify`). Handlers return an exit code (0 done — any decision of `services
 * apply` included — or a valid certificate; 1 an invalid certificate; 2 bad input or an unreachable server;
 * 3 a retry that left the application pending) and write through `Output`, so tests drive them in-process.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { renderTable } from './table';
import { type Command, Option } from 'commander';
import type { IssuerPublicKey } from '../apps/services/service/certificates';
import { readDemoCredentials } from '../composition/demo-credentials';
import { decodeProblem } from '../core/problem';
import { SERVICES_MEMBER, servicesKeysFile } from '../composition/services-settings';
import { DEFAULT_DATA_DIR, type Output } from './output';
import type { ApplicationView, CertificateView } from '../apps/services/service/views';
import { CliProblem } from './problem';

const DEFAULT_URL = 'http://127.0.0.1:8080';
const BASE = '/apps/services/v1';

const consoleOutput: Output = {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
};

export interface ServerOptions {
  url: string;
  data: string;
  json?: boolean | undefined;
}

/** The 政务服务办's token (counter staff) from the demo credentials or HUTONG_TOKEN; none = self-service. */
function tokenOf(options: ServerOptions): string | undefined {
  return process.env.HUTONG_TOKEN ?? readDemoCredentials(resolve(options.data))?.tokens[SERVICES_MEMBER];
}

async function request<T>(
  options: ServerOptions,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: T }> {
  const token = tokenOf(options);
  let response: Response;
  try {
    response = await fetch(new URL(`${BASE}${path}`, options.url), {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new CliProblem(
      'UNREACHABLE',
      `无法连接到 ${options.url}（是否已运行 npm start？）: ${(error as Error).message}`,
    );
  }
  const text = await response.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = null;
  }
  if (!response.ok) {
    const problem = decodeProblem(response.status, text, text);
    throw new CliProblem(problem.code, problem.detail, { status: response.status });
  }
  return { status: response.status, body: parsed as T };
}

function reportProblem(error: unknown, io: Output, json: boolean | undefined): number {
  if (!(error instanceof CliProblem)) throw error;
  if (json) io.out(JSON.stringify({ error: { status: error.status, code: error.code, detail: error.message } }));
  io.err(`错误 ${error.code}${error.status ? ` (HTTP ${error.status})` : ''}: ${error.message}`);
  return 2;
}

/** What `services apply --json` prints of a certificate: everything but the QR images. */
type CertificateOut = Omit<CertificateView, 'qr'>;

export interface ApplyOptions extends ServerOptions {
  item: string;
  id: string;
  name: string;
  asOf?: string | undefined;
  idempotencyKey?: string | undefined;
  certOut?: string | undefined;
  qrPng?: string | undefined;
  qrSvg?: string | undefined;
}

/** `services apply`: prints {"decision","reasons":[codes],"certificate"} with --json. */
export async function runServicesApply(options: ApplyOptions, io: Output): Promise<number> {
  let answer: ApplicationView;
  try {
    answer = (
      await request<ApplicationView>(
        options,
        'POST',
        '/applications',
        {
          item: options.item,
          idNumber: options.id,
          name: options.name,
          consent: true,
          ...(options.asOf ? { asOf: options.asOf } : {}),
        },
        options.idempotencyKey ? { 'idempotency-key': options.idempotencyKey } : {},
      )
    ).body;
  } catch (error) {
    return reportProblem(error, io, options.json);
  }
  let certificate: CertificateOut | null = null;
  if (answer.certificate) {
    const { qr: _qr, ...rest } = answer.certificate;
    certificate = rest;
    if (options.certOut) writeFileSync(options.certOut, `${certificate.payload}\n`);
    if (options.qrPng || options.qrSvg) {
      const { qrPng, qrSvg } = await import('../apps/services/service/certificates');
      if (options.qrPng) writeFileSync(options.qrPng, await qrPng(certificate.payload));
      if (options.qrSvg) writeFileSync(options.qrSvg, await qrSvg(certificate.payload));
    }
  }
  const decision = answer.decision ?? 'pending_verification';
  if (options.json) {
    io.out(JSON.stringify({ decision, reasons: answer.reasons.map((reason) => reason.code), certificate }));
    io.err(`办件号 application ${answer.id}`);
  } else {
    const label = { approved: '准予办理', rejected: '不予办理', pending_verification: '待核验' }[decision];
    io.out(`办件号 ${answer.id}  ${label} (${decision})`);
    for (const reason of answer.reasons) io.out(`  ${reason.code}: ${reason.explanation}`);
    if (answer.benefit) {
      io.out(
        `  档次 ${answer.benefit.tier.name}${answer.benefit.monthlyAmount === null ? '' : `，每月 ${answer.benefit.monthlyAmount} 元`}`,
      );
    }
    if (answer.message) io.out(`  ${answer.message}`);
    if (certificate) {
      io.out(
        `  ${certificate.title} ${certificate.number}  ${certificate.holderName}  出生 ${certificate.birthDate}  发证 ${certificate.issueDate}  ${certificate.issuer}`,
      );
      io.out(`  payload: ${certificate.payload}`);
    }
  }
  // A decision (or an application kept pending) is an answer, not a failure: exit 0; errors exit 2.
  return 0;
}

export interface SweepOptions extends ServerOptions {
  item: string;
  month: string;
  out?: string | undefined;
}

interface SweepOut {
  id: string;
  item: string;
  month: string;
  asOf: string;
  eligibleCount: number;
  totalAmount: number;
  byTier: { tier: string; name: string; count: number; amount: number }[];
  eligible: { idNumber: string; age: number; tier: string; supplements: string[]; amount: number }[];
  newlyEligible: string[];
  requestIds: string[];
  durationMs: number;
}

const maskId = (id: string) => `${id.slice(0, 6)}********${id.slice(14)}`;

/** `services sweep`: everyone eligible in the month without an application, tier and monthly amount. */
export async function runServicesSweep(options: SweepOptions, io: Output): Promise<number> {
  let result: SweepOut;
  try {
    result = (await request<SweepOut>(options, 'POST', '/sweeps', { item: options.item, month: options.month })).body;
  } catch (error) {
    return reportProblem(error, io, options.json);
  }
  if (options.out) writeFileSync(options.out, `${JSON.stringify(result, null, 2)}\n`);
  if (options.json) {
    io.out(JSON.stringify(result));
    return 0;
  }
  io.out(
    `${result.item} ${result.month}（按 ${result.asOf} 计算年龄）：符合条件 ${result.eligibleCount} 人，月发放合计 ${result.totalAmount} 元；本月新增 ${result.newlyEligible.length} 人；耗时 ${result.durationMs} ms，经交换平台调用 ${result.requestIds.length} 次`,
  );
  io.out(
    renderTable(
      ['档次 tier', '人数 people', '金额 amount (元)'],
      result.byTier.map((row) => [row.name, row.count, row.amount]),
    ),
  );
  if (result.newlyEligible.length > 0) {
    io.out(`本月新增 newly eligible: ${result.newlyEligible.map(maskId).join(', ')}`);
  }
  if (!options.out) io.out('（完整名单请用 --json 或 --out FILE / full list with --json or --out FILE）');
  return 0;
}

export async function runServicesItems(options: ServerOptions, io: Output): Promise<number> {
  try {
    const { body } = await request<{
      items: { id: string; name: string; kind: string; issuer: { name: string }; noApplication: boolean }[];
    }>(options, 'GET', '/items');
    if (options.json) {
      io.out(JSON.stringify(body, null, 2));
      return 0;
    }
    io.out(
      renderTable(
        ['事项 id', '名称 name', '类型 kind', '发证机关 issuer', '免申即享'],
        body.items.map((item) => [item.id, item.name, item.kind, item.issuer.name, item.noApplication ? '是' : '']),
      ),
    );
    return 0;
  } catch (error) {
    return reportProblem(error, io, options.json);
  }
}

export async function runServicesList(
  options: ServerOptions & { status?: string | undefined; item?: string | undefined },
  io: Output,
): Promise<number> {
  const query = new URLSearchParams({ pageSize: '100' });
  if (options.status) query.set('status', options.status);
  if (options.item) query.set('item', options.item);
  try {
    const { body } = await request<{
      items: {
        id: string;
        item: { id: string };
        status: string;
        applicant: { idMasked: string; nameMasked: string };
        submittedAt: string;
        lastError: string | null;
        reasons: { code: string }[];
      }[];
      total: number;
    }>(options, 'GET', `/applications?${query}`);
    if (options.json) {
      io.out(JSON.stringify(body, null, 2));
      return 0;
    }
    io.out(
      renderTable(
        ['办件号', '事项', '申请人', '状态', '原因', '提交时间'],
        body.items.map((row) => [
          row.id,
          row.item.id,
          `${row.applicant.nameMasked} ${row.applicant.idMasked}`,
          row.status,
          row.reasons.map((reason) => reason.code).join(',') || (row.lastError ?? ''),
          row.submittedAt,
        ]),
      ),
    );
    io.out(`共 ${body.total} 件`);
    return 0;
  } catch (error) {
    return reportProblem(error, io, options.json);
  }
}

export async function runServicesRetry(id: string, options: ServerOptions, io: Output): Promise<number> {
  try {
    const { body } = await request<{ id: string; status: string; lastError: string | null }>(
      options,
      'POST',
      `/applications/${encodeURIComponent(id)}/retry`,
      {},
    );
    io.out(
      options.json ? JSON.stringify(body) : `${body.id}: ${body.status}${body.lastError ? ` (${body.lastError})` : ''}`,
    );
    return body.status === 'pending_verification' ? 3 : 0;
  } catch (error) {
    return reportProblem(error, io, options.json);
  }
}

export interface CertVerifyOptions {
  key?: string | undefined;
  url?: string | undefined;
  data: string;
  json?: boolean | undefined;
}

function keysFrom(value: unknown): IssuerPublicKey[] {
  const list = Array.isArray(value) ? value : (value as { keys?: unknown })?.keys;
  if (!Array.isArray(list)) throw new Error('no "keys" list');
  return list as IssuerPublicKey[];
}

/**
 * `cert verify FILE|PAYLOAD`: checks the signature offline against the issuing offices' public keys, read
 * from --key FILE, or fetched once from --url, or by default from the demo data folder.
 */
export async function runCertVerify(input: string, options: CertVerifyOptions, io: Output): Promise<number> {
  let payload = input.trim();
  if (!payload.startsWith('HTC1.') && existsSync(payload)) {
    const text = readFileSync(payload, 'utf8').trim();
    try {
      const parsed = JSON.parse(text) as { payload?: string; certificate?: { payload?: string } };
      payload = parsed.payload ?? parsed.certificate?.payload ?? text;
    } catch {
      payload = text;
    }
  }
  let keys: IssuerPublicKey[];
  try {
    if (options.key) keys = keysFrom(JSON.parse(readFileSync(options.key, 'utf8')));
    else if (options.url) {
      const response = await fetch(new URL(`${BASE}/issuer-keys`, options.url));
      keys = keysFrom(await response.json());
    } else {
      const file = servicesKeysFile(resolve(options.data));
      if (!existsSync(file)) {
        io.err(`找不到发证机关公钥 ${file}：请用 --key FILE 或 --url 指定 / no issuer keys: use --key or --url`);
        return 2;
      }
      keys = keysFrom(JSON.parse(readFileSync(file, 'utf8')));
    }
  } catch (error) {
    io.err(`无法读取发证机关公钥 / cannot read issuer keys: ${(error as Error).message}`);
    return 2;
  }
  const [{ verifyCertificate }, { certificateSchemes }] = await Promise.all([
    import('../apps/services/service/certificates'),
    import('../composition/crypto-suite'),
  ]);
  // Each issuer key names its algorithm (Ed25519, or SM2 in a 国密 city).
  const outcome = verifyCertificate(payload, keys, certificateSchemes);
  if (options.json) io.out(JSON.stringify(outcome));
  if (!outcome.valid) {
    if (!options.json) io.out(`无效 INVALID ${outcome.code}: ${outcome.detail}`);
    return 1;
  }
  if (!options.json) {
    const c = outcome.certificate;
    io.out(
      `有效 VALID — ${c.itemId} ${c.number}  ${c.holderName}  出生 ${c.birthDate}  发证 ${c.issueDate}${c.validUntil ? `  有效期至 ${c.validUntil}` : ''}${c.tier ? `  ${c.tier}` : ''}  ${c.issuerName}（公钥 ${outcome.keyId}）`,
    );
  }
  return 0;
}

function server(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', '交换中心地址 / hub URL').default(DEFAULT_URL))
    .addOption(
      new Option('--data <dir>', '演示数据目录（含登录凭据）/ demo data folder (holds credentials.json)').default(
        DEFAULT_DATA_DIR,
      ),
    )
    .option('--json', '输出 JSON / print JSON');
}

export function registerServicesCommands(program: Command): void {
  const services = program.command('services').description('一网通办：办事事项、申请、免申即享 / one-stop services');
  const exit = (code: number) => {
    process.exitCode = code;
  };

  server(services.command('items').description('办事事项列表 / list service items')).action(
    async (options: ServerOptions) => exit(await runServicesItems(options, consoleOutput)),
  );

  server(services.command('apply').description('申请并即时办结 / apply, decided at once'))
    .requiredOption('--item <id>', '办事事项，如 elderly-card / service item, e.g. elderly-card')
    .requiredOption('--id <idNumber>', '公民身份号码 / ID number')
    .requiredOption('--name <name>', '姓名 / name')
    .option('--as-of <date>', '规则判断所用日期（YYYY-MM-DD） / the date every rule uses (YYYY-MM-DD)')
    .option('--idempotency-key <key>', '相同的键返回同一申请（防重复提交） / the same key returns the same application')
    .option(
      '--cert-out <file>',
      '写出证照内容（供 cert verify 核验） / write the certificate payload (for `cert verify`)',
    )
    .option('--qr-png <file>', '证照二维码写为 PNG / write the certificate QR code as PNG')
    .option('--qr-svg <file>', '证照二维码写为 SVG / write the certificate QR code as SVG')
    .action(async (options: ApplyOptions) => exit(await runServicesApply(options, consoleOutput)));

  server(services.command('sweep').description('免申即享筛查 / find everyone eligible without an application'))
    .requiredOption('--item <id>', '办事事项，如 longevity-allowance / service item, e.g. longevity-allowance')
    .requiredOption('--month <YYYY-MM>', '月份 / month')
    .option('--out <file>', '完整结果写为 JSON 文件 / write the full result as JSON')
    .action(async (options: SweepOptions) => exit(await runServicesSweep(options, consoleOutput)));

  server(services.command('list').description('办件查询 / search applications (counter staff)'))
    .option('--status <status>', '办理状态：待核验 | 准予办理 | 不予办理 / pending_verification | approved | rejected')
    .option('--item <id>', '办事事项 / service item')
    .action(async (options: ServerOptions & { status?: string; item?: string }) =>
      exit(await runServicesList(options, consoleOutput)),
    );

  server(services.command('retry <id>').description('重新核验待核验办件 / retry a pending application')).action(
    async (id: string, options: ServerOptions) => exit(await runServicesRetry(id, options, consoleOutput)),
  );

  const cert = program.command('cert').description('电子证照 / electronic certificates');
  cert
    .command('verify <fileOrPayload>')
    .description('离线核验电子证照 / verify a certificate offline')
    .option(
      '--key <file>',
      '发证机关公钥（JSON） / issuer public keys (JSON, as served at /apps/services/v1/issuer-keys)',
    )
    .option('--url <url>', '从该交换中心获取发证机关公钥 / fetch the issuer public keys from this hub')
    .addOption(
      new Option(
        '--data <dir>',
        '演示数据目录（含发证机关公钥）/ demo data folder (apps/services-issuer-keys.json)',
      ).default(DEFAULT_DATA_DIR),
    )
    .option('--json', '输出 JSON / print JSON')
    .action(async (input: string, options: CertVerifyOptions) =>
      exit(await runCertVerify(input, options, consoleOutput)),
    );
}
