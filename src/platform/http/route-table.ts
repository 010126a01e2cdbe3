/**
 * Every route an app serves, as registered: the security suite checks that each one has an access rule
 * (src/composition/authorization-matrix.integration.test.ts), so a new route without a rule fails a test.
 */
import type { FastifyInstance } from 'fastify';

export interface RouteEntry {
  method: string;
  url: string;
}

declare module 'fastify' {
  interface FastifyInstance {
    routeTable: readonly RouteEntry[];
  }
}

/** Call before any route is added: routes registered earlier are not seen by an onRoute hook. */
export function recordRoutes(app: FastifyInstance): void {
  const table: RouteEntry[] = [];
  app.decorate('routeTable', table);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) {
      if (method !== 'HEAD' && method !== 'OPTIONS') table.push({ method, url: route.url });
    }
  });
}
