// JSON API of saved views (issue 17) for the browser view: list, save the current view, rename or
// replace its filters, reorder, delete. Every change goes through parts.views (the one owner);
// refusals answer `{ error, code }` with the stable code of library/saved-views.ts. The players see
// a change on their next library load: their caches are keyed by parts.views.sectionsVersion().
import type { FastifyInstance, FastifyReply } from 'fastify';
import { Type, type Static } from '@sinclair/typebox';
import type { Parts } from '../parts.ts';
import { SavedViewError } from '../library/saved-views.ts';
import { sendError } from './errors.ts';

const IdParams = Type.Object({ id: Type.Integer({ minimum: 1, maximum: 2 ** 31 }) });
// Lengths here only bound the request; the real limits (and their messages) are the library's.
const CreateBody = Type.Object({ name: Type.String({ maxLength: 1000 }), query: Type.String({ maxLength: 4000 }) }, { additionalProperties: false });
const UpdateBody = Type.Object(
  { name: Type.Optional(Type.String({ maxLength: 1000 })), query: Type.Optional(Type.String({ maxLength: 4000 })) },
  { additionalProperties: false },
);
/** A delete carries nothing: no body, or an empty JSON object. */
const NoBody = Type.Union([Type.Null(), Type.Object({}, { additionalProperties: false })]);
const OrderBody = Type.Object({ ids: Type.Array(Type.Integer({ minimum: 1 }), { maxItems: 1000 }) }, { additionalProperties: false });

function refuse(reply: FastifyReply, err: unknown): FastifyReply {
  if (err instanceof SavedViewError) return sendError(reply, err.status, err.message, { code: err.code });
  throw err;
}

export default async function savedViewRoutes(app: FastifyInstance, opts: { parts: Pick<Parts, 'views'> }): Promise<void> {
  const { views } = opts.parts;
  const noStore = (reply: FastifyReply) => reply.header('cache-control', 'no-store');

  app.get('/api/views', async (_req, reply) => noStore(reply).send({ views: views.list() }));

  app.post<{ Body: Static<typeof CreateBody> }>('/api/views', { schema: { body: CreateBody }, bodyLimit: 16 * 1024 }, async (req, reply) => {
    try {
      return noStore(reply).code(201).send(views.create(req.body.name, req.body.query));
    } catch (err) {
      return refuse(reply, err);
    }
  });

  app.patch<{ Params: Static<typeof IdParams>; Body: Static<typeof UpdateBody> }>(
    '/api/views/:id',
    { schema: { params: IdParams, body: UpdateBody }, bodyLimit: 16 * 1024 },
    async (req, reply) => {
      try {
        return noStore(reply).send(views.update(req.params.id, req.body));
      } catch (err) {
        return refuse(reply, err);
      }
    },
  );

  app.delete<{ Params: Static<typeof IdParams> }>('/api/views/:id', { schema: { params: IdParams, body: NoBody }, bodyLimit: 1024 }, async (req, reply) => {
    try {
      views.remove(req.params.id);
      return noStore(reply).code(204).send();
    } catch (err) {
      return refuse(reply, err);
    }
  });

  app.put<{ Body: Static<typeof OrderBody> }>('/api/views/order', { schema: { body: OrderBody }, bodyLimit: 64 * 1024 }, async (req, reply) => {
    return noStore(reply).send({ views: views.reorder(req.body.ids) });
  });
}
