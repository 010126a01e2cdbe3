/** What every command that talks to a running hub shares: its options, a client with the demo's token, output. */
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { readDemoCredentials } from '../composition/demo-credentials';
import { HubClient } from './hub-client';
import { CliProblem } from './problem';

export const defaultUrl = 'http://127.0.0.1:8080';
export const defaultDataDir = '.hutong';

export interface CommonOptions {
  url: string;
  data: string;
  json?: boolean;
  as?: string;
}

export function clientFor(options: CommonOptions, member?: string): HubClient {
  const credentials = readDemoCredentials(resolve(options.data));
  const who = member ?? options.as ?? 'dashuju';
  const token = process.env.HUTONG_TOKEN ?? credentials?.tokens[who];
  if (!token) {
    throw new CliProblem(
      'NO_CREDENTIALS',
      `找不到 ${who} 的令牌：请先运行 npm start，或用 --data 指定演示数据目录，或设置 HUTONG_TOKEN`,
    );
  }
  return new HubClient(options.url, token);
}

export function print(options: CommonOptions, value: unknown, table?: () => string): void {
  if (options.json || !table) console.log(JSON.stringify(value, null, 2));
  else console.log(table());
}

export function withCommon(command: Command): Command {
  return command
    .addOption(new Option('--url <url>', '交换中心地址 / hub URL').default(defaultUrl))
    .addOption(
      new Option('--data <dir>', '演示数据目录（含登录凭据）/ demo data folder (holds credentials.json)').default(
        defaultDataDir,
      ),
    )
    .option('--json', '输出 JSON / print JSON');
}
