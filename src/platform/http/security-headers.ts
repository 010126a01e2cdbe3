/**
 * Browser security headers for an API whose headers never vary per request (a node's): helmet computes them
 * once at start-up, and each answer gets the same set. @fastify/helmet runs helmet's middleware for every
 * request, which cost a node ≈ 10 % of its CPU per exchange call (BENCHMARKS.md, issue 16).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet, { type HelmetOptions } from 'helmet';

export function staticSecurityHeaders(options: HelmetOptions): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    },
    removeHeader(name: string) {
      delete headers[name.toLowerCase()];
    },
  };
  let called = false;
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, () => {
    called = true;
  });
  // Helmet's middleware is synchronous; if a version ever were not, the headers would be incomplete.
  if (!called) throw new Error('helmet did not finish synchronously');
  return Object.freeze(headers);
}
