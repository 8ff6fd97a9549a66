// Clean JSON errors for every route: a status, a short message, never a stack trace, an
// internal path or a secret. Fastify's own errors (bad JSON, body too large, schema) map here.
import type { FastifyError, FastifyInstance, FastifyReply } from 'fastify';
import type { PlayError } from '../play/errors.ts';

export function sendError(reply: FastifyReply, status: number, message: string, extra: Record<string, unknown> = {}): FastifyReply {
  return reply.code(status).header('cache-control', 'no-store').type('application/json; charset=utf-8').send({ error: message, ...extra });
}

const PLAY_STATUS: Record<PlayError['kind'], number> = {
  'not-found': 404,
  'not-ready': 503,
  archive: 422,
  'missing-link': 404,
  dead: 410,
  blocked: 451,
  cooldown: 503,
  token: 502,
  'fair-use': 503,
  'upstream-busy': 503,
  upstream: 502,
};

export function sendPlayError(reply: FastifyReply, err: PlayError): FastifyReply {
  if (err.retryAfterMs !== null) reply.header('retry-after', String(Math.max(1, Math.ceil(err.retryAfterMs / 1000))));
  return sendError(reply, PLAY_STATUS[err.kind], err.message, { kind: err.kind });
}

/** App-wide error and not-found handlers. */
export function installErrorHandlers(app: FastifyInstance): void {
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode && err.statusCode >= 400 && err.statusCode < 600 ? err.statusCode : 500;
    if (status >= 500) req.log.error({ err }, 'request failed');
    const message =
      err.code === 'FST_ERR_CTP_BODY_TOO_LARGE'
        ? 'Request body too large.'
        : err.code === 'FST_ERR_CTP_INVALID_JSON_BODY' || err instanceof SyntaxError
          ? 'Malformed JSON body.'
          : err.validation
            ? `Invalid request: ${err.message.replace(/^(body|params|querystring)\/?/, '$1 ')}`
            : status >= 500
              ? 'Internal error.'
              : err.message;
    return sendError(reply, status, message);
  });
  app.setNotFoundHandler((req, reply) => sendError(reply, 404, 'Not found.'));
}
