/** Where the 一网通办 application is found: the member that hosts it and its issuer keys file (light, for the CLI). */
import { join } from 'node:path';

export const SERVICES_MEMBER = 'zhengwu';

export function servicesKeysFile(dataDir: string): string {
  return join(dataDir, 'apps', 'services-issuer-keys.json');
}
