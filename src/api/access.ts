// What a request may see, in the players' own vocabulary (heresphere-protocol.md §2, §5.4):
// 1 = full access, 0 = not logged in (guest), -1 = wrong credentials. With auth off every
// request has access 1. The auth plugin (src/api/auth) sets it before any route runs.
import type { FastifyInstance } from 'fastify';

export type Access = 1 | 0 | -1;

declare module 'fastify' {
  interface FastifyRequest {
    access: Access;
  }
}

export function decorateAccess(app: FastifyInstance): void {
  app.decorateRequest('access', 1 as Access);
}
