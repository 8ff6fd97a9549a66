// Body parsing for players: HereSphere sends JSON whatever the content type says and sometimes
// an empty body, which means {}. Malformed JSON is still a clean 400, never a crash.
import type { FastifyInstance } from 'fastify';

/** Replaces this plugin's parsers with one that reads any body as (possibly empty) JSON. */
export function acceptAnyJson(app: FastifyInstance, bodyLimit?: number): void {
  app.addContentTypeParser('*', { parseAs: 'string', ...(bodyLimit ? { bodyLimit } : {}) }, (_req, body, done) => {
    const text = String(body).trim();
    if (text === '') return done(null, null);
    try {
      done(null, JSON.parse(text));
    } catch {
      const err = new SyntaxError('Malformed JSON body.') as SyntaxError & { statusCode: number };
      err.statusCode = 400;
      done(err, undefined);
    }
  });
}

/** The login routes' parsers: a urlencoded form as an object of strings, anything else as JSON. */
export function acceptFormOrJson(app: FastifyInstance, bodyLimit: number): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(String(body))));
  });
  acceptAnyJson(app, bodyLimit);
}
