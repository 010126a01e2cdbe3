/**
 * Which hosts a node may be registered at: IP addresses inside the city's allowed networks (CIDR), or
 * host names on an explicit list. The demo allows loopback only.
 */
import { BlockList, isIP } from 'node:net';

export const loopbackNetworks = ['127.0.0.0/8', '::1/128'] as const;

export function hostAllowedIn(
  networks: readonly string[],
  hostnames: readonly string[] = [],
): (hostname: string) => boolean {
  const allowed = new BlockList();
  for (const network of networks) {
    const [address, bits] = network.split('/');
    const family = isIP(address ?? '') === 6 ? 'ipv6' : 'ipv4';
    allowed.addSubnet(address!, Number(bits ?? (family === 'ipv6' ? 128 : 32)), family);
  }
  const names = new Set(hostnames.map((name) => name.toLowerCase()));
  return (hostname) => {
    const version = isIP(hostname);
    if (version === 0) return names.has(hostname.toLowerCase());
    return allowed.check(hostname, version === 6 ? 'ipv6' : 'ipv4');
  };
}
