/**
 * What a member may register as its node's address: the hub will call it (witness requests, agreement
 * hints) and other nodes will, so it must not point anywhere else. http or https, no credentials, no query
 * or fragment, and a host the city's networks allow (checked by the caller's `hostAllowed`, which knows the
 * configured networks: loopback in the demo).
 */
import { HutongError } from '../errors';

export function checkNodeUrl(raw: string, hostAllowed: (hostname: string) => boolean): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new HutongError('INVALID_NODE_URL', '前置机地址不是合法的 URL / not a URL');
  }
  // An empty query or fragment ("…?", "…#") is invisible in URL's fields but cuts a path short: refuse the
  // characters themselves.
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new HutongError('INVALID_NODE_URL', '前置机地址须为 http 或 https / http or https only');
  }
  if (url.username !== '' || url.password !== '' || raw.includes('@')) {
    throw new HutongError('INVALID_NODE_URL', '前置机地址不能含用户名或密码 / no credentials in the URL');
  }
  if (raw.includes('?') || raw.includes('#')) {
    throw new HutongError('INVALID_NODE_URL', '前置机地址不能含查询或片段 / no query or fragment');
  }
  const hostname = url.hostname.replace(/^\[|\]$/g, '');
  if (!hostAllowed(hostname)) {
    throw new HutongError(
      'NODE_URL_NOT_ALLOWED',
      `前置机地址不在允许的网络内 / ${hostname} is not in the allowed networks`,
    );
  }
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}
