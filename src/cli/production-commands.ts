/**
 * A city's own installation: `hutong init hub` writes a configuration, keys and a one-time administrator
 * password; `hutong hub --config FILE` serves it (TLS beyond loopback, certificate reloaded on SIGHUP,
 * a graceful stop on SIGTERM). Handlers load the server code only when run.
 */
import { type Command, Option } from 'commander';

/** The city's cryptographic suite, chosen once at `init` (every node names the hub's). */
const cryptoOption = () =>
  new Option(
    '--crypto <suite>',
    '密码算法套件：intl（Ed25519、SHA-256）或 gm（国密 SM2、SM3、SM4）/ cryptographic suite: intl or gm (国密)',
  )
    .choices(['intl', 'gm'])
    .default('intl');

export function registerProductionCommands(program: Command): void {
  const init = program.command('init').description('初始化一个城市的部署 / set up a city’s own installation');
  init
    .command('hub')
    .description(
      '生成交换中心配置、密钥与一次性管理员密码 / write a hub’s configuration, keys and one-time admin password',
    )
    .requiredOption('--dir <dir>', '部署目录（不得已有配置）/ installation folder (must hold no configuration yet)')
    .option(
      '--database <url>',
      'PostgreSQL 连接串（默认同目录 SQLite，仅供试用）/ PostgreSQL URL (default: SQLite, for a trial)',
    )
    .option('--schema <name>', 'PostgreSQL 模式名 / a PostgreSQL schema of the hub’s own')
    .option('--public-url <url>', '各部门与浏览器访问交换中心的地址 / the address nodes and browsers use')
    .option('--operator-code <code>', '平台运营单位代码 / the operating member’s code', 'dashuju')
    .option('--operator-name <name>', '平台运营单位名称 / the operating member’s name', '大数据发展管理局')
    .addOption(cryptoOption())
    .action(
      async (options: {
        crypto: 'intl' | 'gm';
        dir: string;
        database?: string;
        schema?: string;
        publicUrl?: string;
        operatorCode: string;
        operatorName: string;
      }) => {
        const { initHub } = await import('../composition/production-hub');
        const result = await initHub({
          crypto: options.crypto,
          dir: options.dir,
          database: options.database,
          schema: options.schema,
          publicUrl: options.publicUrl,
          operatorCode: options.operatorCode,
          operatorName: options.operatorName,
        });
        console.log(
          [
            `配置 Configuration: ${result.configFile}`,
            `管理员 Administrator: ${result.username}`,
            `一次性密码 One-time password: ${result.oneTimePassword}`,
            '此密码只显示这一次，首次登录须修改 / shown this once; it must be changed at the first login',
          ].join('\n'),
        );
      },
    );

  init
    .command('ca')
    .description('为尚无 CA 的城市生成城市根证书 / make a city CA for a city without one')
    .requiredOption('--dir <dir>', '存放 city-ca.crt 与 city-ca.key 的目录 / folder for city-ca.crt and city-ca.key')
    .option('--name <name>', '证书名称 / the CA’s name', '清河市数据共享交换平台 CA')
    .action(async (options: { dir: string; name: string }) => {
      const { initCityCa } = await import('../composition/city-ca');
      const ca = await initCityCa(options.dir, options.name);
      console.log(
        `城市 CA City CA: ${ca.cert}\n私钥 Key: ${ca.key}（签发完成后请离线保存 / keep it offline once certificates are issued）`,
      );
    });
  init
    .command('cert')
    .description('用城市 CA 为交换中心或前置机签发证书 / issue a hub’s or a node’s certificate from the city CA')
    .requiredOption('--ca <dir>', '城市 CA 所在目录 / the folder of city-ca.crt and city-ca.key')
    .requiredOption('--name <name>', '证书文件名，如 hub、gongan / file name, e.g. hub or gongan')
    .requiredOption('--host <host...>', '主机名或 IP 地址（可多个）/ host names or IP addresses')
    .option('--out <dir>', '输出目录（默认同 CA 目录）/ output folder (default: the CA’s)')
    .action(async (options: { ca: string; name: string; host: string[]; out?: string }) => {
      const { issueCertificate } = await import('../composition/city-ca');
      const { join } = await import('node:path');
      const issued = await issueCertificate(
        { cert: join(options.ca, 'city-ca.crt'), key: join(options.ca, 'city-ca.key') },
        options.out ?? options.ca,
        options.name,
        options.host,
      );
      console.log(`证书 Certificate: ${issued.cert}\n私钥 Key: ${issued.key}`);
    });
  init
    .command('node')
    .description('生成部门前置机配置与密钥 / write a department node’s configuration and keys')
    .requiredOption('--dir <dir>', '部署目录（不得已有配置）/ installation folder (must hold no configuration yet)')
    .requiredOption('--member <code>', '本部门成员单位代码 / the department’s member code')
    .requiredOption('--hub <url>', '交换中心地址 / the hub’s address')
    .option(
      '--database <url>',
      'PostgreSQL 连接串（默认同目录 SQLite）/ PostgreSQL URL (default: SQLite in the folder)',
    )
    .option('--public-url <url>', '交换中心与其他前置机访问本机的地址 / the address the hub and other nodes use')
    .option('--hub-token-file <file>', '交换中心签发的本部门系统令牌文件 / the member’s API token, issued at the hub')
    .option('--city-secret-file <file>', '交换中心的城市密钥文件副本 / a copy of the hub’s city secret')
    .addOption(cryptoOption())
    .action(
      async (options: {
        crypto: 'intl' | 'gm';
        dir: string;
        member: string;
        hub: string;
        database?: string;
        publicUrl?: string;
        hubTokenFile?: string;
        citySecretFile?: string;
      }) => {
        const { initNode } = await import('../composition/production-node');
        const result = initNode({
          crypto: options.crypto,
          dir: options.dir,
          member: options.member,
          hubUrl: options.hub,
          database: options.database,
          publicUrl: options.publicUrl,
          hubTokenFile: options.hubTokenFile,
          citySecretFile: options.citySecretFile,
        });
        const lines = [`配置 Configuration: ${result.configFile}`];
        if (result.missing.hubToken) {
          lines.push(`待放入 To provide: 本部门系统令牌 the member’s API token → ${result.missing.hubToken} (0600)`);
        }
        if (result.missing.citySecret) {
          lines.push(
            `待放入 To provide: 城市密钥副本 a copy of the hub’s city secret → ${result.missing.citySecret} (0600)`,
          );
        }
        console.log(lines.join('\n'));
      },
    );

  const target = async (file: string) => {
    const [{ configKind }, { loadHubConfig, loadNodeConfig }] = await Promise.all([
      import('../composition/backup'),
      import('../composition/config'),
    ]);
    return configKind(file) === 'node'
      ? { kind: 'node' as const, config: loadNodeConfig(file, process.env) }
      : { kind: 'hub' as const, config: loadHubConfig(file, process.env) };
  };
  program
    .command('backup')
    .description('备份交换中心或前置机的数据库与密钥 / back up a hub’s or a node’s database and keys')
    .requiredOption('--config <file>', '交换中心或前置机的配置文件 / the hub’s or the node’s configuration')
    .requiredOption('--out <dir>', '备份目录（须为空，权限 0700）/ an empty folder for the backup (kept 0700)')
    .action(async (options: { config: string; out: string }) => {
      const { backup } = await import('../composition/backup');
      const manifest = await backup(await target(options.config), options.out, new Date());
      console.log(`已备份 Backed up: ${manifest.kind} (${manifest.database}) → ${options.out}`);
    });
  program
    .command('rotate-key')
    .description(
      '更换前置机签名密钥或数据密钥（须先停止前置机）/ replace a node’s signing or data key (stop the node first)',
    )
    .requiredOption('--config <file>', '前置机的配置文件 / the node’s configuration')
    .option(
      '--data',
      '更换个人信息加密密钥并重新加密（国密套件）/ replace the key personal data is sealed with, and re-seal it (国密 suite)',
    )
    .action(async (options: { config: string; data?: boolean }) => {
      const [{ loadNodeConfig }, { rotateDataKey, rotateNodeKey }] = await Promise.all([
        import('../composition/config'),
        import('../composition/production-node'),
      ]);
      if (options.data) {
        const resealed = await rotateDataKey(loadNodeConfig(options.config, process.env));
        const tables = Object.entries(resealed).map(([code, rows]) => `${code} ${rows}`);
        console.log(`已更换数据密钥并重新加密 Data key replaced, re-sealed: ${tables.join(', ') || '—'}`);
        return;
      }
      const rotated = await rotateNodeKey(loadNodeConfig(options.config, process.env));
      console.log(
        `已更换 Replaced: ${rotated.previousKeyId} → ${rotated.keyId}; 请启动前置机 / start the node to sign with it`,
      );
    });
  program
    .command('restore')
    .description('从备份恢复（须先停止服务）/ restore from a backup (stop the service first)')
    .requiredOption('--config <file>', '交换中心或前置机的配置文件 / the hub’s or the node’s configuration')
    .requiredOption('--from <dir>', '备份目录 / the backup folder')
    .action(async (options: { config: string; from: string }) => {
      const { restore } = await import('../composition/backup');
      const manifest = await restore(await target(options.config), options.from);
      console.log(
        `已恢复 Restored: ${manifest.kind} from ${manifest.createdAt}; 请运行 hutong ledger verify --since 核对 / check with hutong ledger verify --since`,
      );
    });

  program
    .command('hub')
    .description('按配置文件运行交换中心 / run a hub from its configuration file')
    .requiredOption('--config <file>', '配置文件（hutong init hub 生成）/ configuration file (from hutong init hub)')
    .option('--insecure', '允许在非本机地址上不用 TLS（不建议）/ allow plain HTTP beyond loopback (not advised)')
    .action(async (options: { config: string; insecure?: boolean }) => {
      const { loadHubConfig } = await import('../composition/config');
      const { runHub } = await import('../composition/production-hub');
      const config = loadHubConfig(options.config, process.env);
      if (options.insecure && !config.tls) {
        console.error('警告 Warning: 未启用 TLS，流量以明文传输 / serving plain HTTP, traffic is not encrypted');
      }
      const running = await runHub(config, { insecure: options.insecure === true });
      console.log(`互通交换中心 hutong hub: ${running.url}  (publicUrl ${config.publicUrl})`);
      process.on('SIGHUP', () => running.reloadTls());
      const stop = () => {
        void running.close().then(() => process.exit(0));
      };
      process.once('SIGTERM', stop);
      process.once('SIGINT', stop);
    });
}
