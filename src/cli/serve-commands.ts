/**
 * Starting the demo city, or one department's node against a hub. The servers are loaded only when one of
 * these commands runs, so that every other command starts fast.
 */
import { resolve } from 'node:path';
import { type Command, Option } from 'commander';
import { readDemoCredentials } from '../composition/demo-credentials';
import { CliProblem } from './problem';
import { defaultDataDir, defaultUrl } from './common';

const suiteNames = { intl: 'intl（Ed25519、SHA-256）', gm: 'gm 国密（SM2、SM3、SM4）' } as const;

export function registerServeCommands(program: Command): void {
  program
    .command('demo')
    .description('启动演示城市（清河市）/ start the demo city')
    .addOption(new Option('--port <port>', '端口 / port').default('8080'))
    .addOption(new Option('--host <host>', '监听地址 / host').default('127.0.0.1'))
    .addOption(new Option('--data <dir>', '数据目录 / data folder').default(defaultDataDir))
    .option(
      '--log-level <level>',
      '日志级别（结构化 JSON 日志输出到标准输出） / log level (structured JSON logs on stdout)',
      'warn',
    )
    .option('--no-nodes', '只启动交换中心，不启动各部门前置机 / start the hub without the departments’ nodes')
    .addOption(
      new Option(
        '--crypto <suite>',
        '密码算法套件：intl（Ed25519、SHA-256）或 gm（国密 SM2、SM3、SM4）；默认为数据目录创建时所用的 / cryptographic suite: intl or gm (国密); default: the one the data folder was made with',
      ).choices(['intl', 'gm']),
    )
    .action(
      async (options: {
        port: string;
        host: string;
        data: string;
        logLevel: string;
        nodes: boolean;
        crypto?: 'intl' | 'gm';
      }) => {
        const { startDemo } = await import('../composition/demo');
        const { projectRoot } = await import('../composition/hub');
        const dataDir = resolve(options.data);
        const { url, credentials, nodes, crypto } = await startDemo({
          dataDir,
          port: Number(options.port),
          host: options.host,
          logLevel: options.logLevel,
          nodes: options.nodes,
          crypto: options.crypto,
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
            `  密码套件 Crypto: ${suiteNames[crypto]}`,
            `  前置机 Nodes:    ${nodes.map((node) => `${node.memberCode} ${node.url.replace(/^http:\/\/[^:]+/, '')}`).join(', ')}`,
            `  演示账号 Logins: ${users}`,
            `  密码 Password:   ${credentials.password || '(as at first start)'}`,
            '',
          ].join('\n'),
        );
      },
    );

  program
    .command('node')
    .description('启动一个部门前置机 / run one department node (前置机) against a hub')
    .option('--config <file>', '配置文件（hutong init node 生成）/ configuration file (from hutong init node)')
    .option('--insecure', '允许在非本机地址上不用 TLS（不建议）/ allow plain HTTP beyond loopback (not advised)')
    .option('--member <code>', '本部门成员单位代码（无配置文件时）/ member code of the department (without --config)')
    .option('--hub <url>', '交换中心地址 / hub URL', defaultUrl)
    .option(
      '--data <dir>',
      '数据目录（前置机库位于 nodes/ 下） / data folder (node store under nodes/<member>.sqlite)',
      defaultDataDir,
    )
    .option(
      '--hub-token <token>',
      "本部门在交换中心的令牌（默认取演示凭据或 HUTONG_HUB_TOKEN）/ the member's API token at the hub (default: from the demo credentials, or HUTONG_HUB_TOKEN)",
    )
    .option('--host <host>', '监听地址 / host', '127.0.0.1')
    .option('--port <port>', '端口（0 表示任一空闲端口） / port (0 = any free port)', '0')
    .option(
      '--staleness <seconds>',
      '超过此时长（秒）未能确认协议即拒绝服务 / fail closed after this long without confirming agreements',
      '600',
    )
    .option('--log-level <level>', '日志级别 / log level', 'info')
    .action(
      async (options: {
        config?: string;
        insecure?: boolean;
        member?: string;
        hub: string;
        data: string;
        hubToken?: string;
        host: string;
        port: string;
        staleness: string;
        logLevel: string;
      }) => {
        if (options.config) {
          const { loadNodeConfig } = await import('../composition/config');
          const { runNode } = await import('../composition/production-node');
          const node = await runNode(loadNodeConfig(options.config, process.env), {
            insecure: options.insecure === true,
          });
          console.log(`互通前置机 hutong node ${node.memberCode}: ${node.url}`);
          process.on('SIGHUP', () => node.reloadTls());
          const stop = () => {
            void node.close().then(() => process.exit(0));
          };
          process.once('SIGTERM', stop);
          process.once('SIGINT', stop);
          return;
        }
        if (!options.member) {
          throw new CliProblem(
            'MEMBER_REQUIRED',
            '请用 --config 指定配置文件，或用 --member 指定部门 / give --config or --member',
          );
        }
        const member = options.member;
        const dataDir = resolve(options.data);
        const hubToken =
          options.hubToken ?? process.env.HUTONG_HUB_TOKEN ?? readDemoCredentials(dataDir)?.tokens[member];
        if (!hubToken)
          throw new CliProblem(
            'NO_CREDENTIALS',
            `没有 ${member} 的平台令牌：请用 --hub-token 或 HUTONG_HUB_TOKEN 提供`,
          );
        const [{ startNode }, { loadOrCreateCitySecret }, { createLogger }, { demoPublications }, demo] =
          await Promise.all([
            import('../composition/node'),
            import('../composition/city-secret'),
            import('../platform/log/logger'),
            import('../demo/publications'),
            import('../composition/demo'),
          ]);
        // The demo folder's suite: a 国密 city's node keeps SM2 keys and its people's data sealed.
        const crypto = demo.demoCryptoSuite(dataDir);
        const node = await startNode({
          memberCode: member,
          dataDir,
          hubUrl: options.hub,
          hubToken,
          citySecret: loadOrCreateCitySecret(dataDir),
          host: options.host,
          port: Number(options.port),
          publications: demoPublications(member),
          stalenessLimitMs: Number(options.staleness) * 1000,
          logger: createLogger({ level: options.logLevel }),
          crypto,
          personalData: demo.demoNodeSealers(dataDir, crypto)?.(member),
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
