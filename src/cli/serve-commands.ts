/**
 * Starting the demo city, or one department's node against a hub. The servers are loaded only when one of
 * these commands runs, so that every other command starts fast.
 */
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { readDemoCredentials } from '../composition/demo-credentials';
import { CliProblem } from './problem';
import { defaultDataDir, defaultUrl } from './common';

export function registerServeCommands(program: Command): void {
  program
    .command('demo')
    .description('启动演示城市（清河市）/ start the demo city')
    .addOption(new Option('--port <port>', 'port').default('8080'))
    .addOption(new Option('--host <host>', 'host').default('127.0.0.1'))
    .addOption(new Option('--data <dir>', 'data folder').default(defaultDataDir))
    .option('--log-level <level>', 'log level (structured JSON logs on stdout)', 'warn')
    .option('--no-nodes', 'start the hub without the departments’ nodes')
    .action(async (options: { port: string; host: string; data: string; logLevel: string; nodes: boolean }) => {
      const { startDemo } = await import('../composition/demo');
      const { projectRoot } = await import('../composition/hub');
      const dataDir = resolve(options.data);
      const { url, credentials, nodes } = await startDemo({
        dataDir,
        port: Number(options.port),
        host: options.host,
        logLevel: options.logLevel,
        nodes: options.nodes,
        webDir: resolve(projectRoot, 'web/dist'),
      });
      const users = credentials.users.map((user) => user.username).join(', ');
      console.log(
        [
          '',
          `互通 · 清河市数据共享交换平台 — demo running`,
          `  控制台 Console:  ${url}/`,
          `  API 文档 Docs:   ${url}/docs   OpenAPI: ${url}/openapi.json`,
          `  数据目录 Data:   ${dataDir}`,
          `  前置机 Nodes:    ${nodes.map((node) => `${node.memberCode} ${node.url.replace(/^http:\/\/[^:]+/, '')}`).join(', ')}`,
          `  演示账号 Logins: ${users}`,
          `  密码 Password:   ${credentials.password || '(as at first start)'}`,
          '',
        ].join('\n'),
      );
    });

  program
    .command('node')
    .description('启动一个部门前置机 / run one department node (前置机) against a hub')
    .requiredOption('--member <code>', 'member code of the department')
    .option('--hub <url>', 'hub URL', defaultUrl)
    .option('--data <dir>', 'data folder (node store under nodes/<member>.sqlite)', defaultDataDir)
    .option(
      '--hub-token <token>',
      "the member's API token at the hub (default: from the demo credentials, or HUTONG_HUB_TOKEN)",
    )
    .option('--host <host>', 'host', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', '0')
    .option('--staleness <seconds>', 'fail closed after this long without confirming agreements', '600')
    .option('--log-level <level>', 'log level', 'info')
    .action(
      async (options: {
        member: string;
        hub: string;
        data: string;
        hubToken?: string;
        host: string;
        port: string;
        staleness: string;
        logLevel: string;
      }) => {
        const dataDir = resolve(options.data);
        const hubToken =
          options.hubToken ?? process.env.HUTONG_HUB_TOKEN ?? readDemoCredentials(dataDir)?.tokens[options.member];
        if (!hubToken)
          throw new CliProblem(
            'NO_CREDENTIALS',
            `没有 ${options.member} 的平台令牌：请用 --hub-token 或 HUTONG_HUB_TOKEN 提供`,
          );
        const [{ startNode }, { loadOrCreateCitySecret }, { createLogger }, { demoPublications }] = await Promise.all([
          import('../composition/node'),
          import('../composition/city-secret'),
          import('../platform/log/logger'),
          import('../demo/publications'),
        ]);
        const node = await startNode({
          memberCode: options.member,
          dataDir,
          hubUrl: options.hub,
          hubToken,
          citySecret: loadOrCreateCitySecret(dataDir),
          host: options.host,
          port: Number(options.port),
          publications: demoPublications(options.member),
          stalenessLimitMs: Number(options.staleness) * 1000,
          logger: createLogger({ level: options.logLevel }),
        });
        console.log(`NODE ${node.memberCode} ${node.url}`);
        const stop = async () => {
          await node.close();
          process.exit(0);
        };
        process.once('SIGTERM', stop);
        process.once('SIGINT', stop);
      },
    );
}
