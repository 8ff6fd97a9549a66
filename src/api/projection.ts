// The user's word on how a video is shown (issue 14 items 3-4): the browser detail view sets the
// projection, layout, FOV, lens and eye swap of a video, or goes back to automatic. The change is
// user data, written by the library writer (one owner), so HereSphere (index and scan caches key on
// the catalog version), DeoVR and the browser all follow at once: they only format Video.projection.
// Also the projection block of the detail JSON: the decision, where it came from, and what the
// automatic guess would be.
import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { Type } from '@sinclair/typebox';
import type { Parts } from '../parts.ts';
import type { ProjectionGuess, Video } from '../library/model.ts';
import { cleanOverride, OVERRIDE_FOV, SOURCE_LABELS } from '../library/projection-sources.ts';
import { sendError } from './errors.ts';
import { VideoIdParams } from './schemas.ts';
import type { ProjectionAnswer, ProjectionDetail } from '../contract/web-api.ts';
const OverrideBody = Type.Object(
  {
    projection: Type.Optional(Type.Union(['perspective', 'equirectangular', 'equirectangular360', 'fisheye', 'cubemap', 'equiangularCubemap'].map((p) => Type.Literal(p)))),
    stereo: Type.Optional(Type.Union(['mono', 'sbs', 'tb'].map((s) => Type.Literal(s)))),
    fov: Type.Optional(Type.Integer({ minimum: OVERRIDE_FOV.min, maximum: OVERRIDE_FOV.max })),
    lens: Type.Optional(Type.Union(['Linear', 'MKX200', 'MKX220', 'VRCA220'].map((l) => Type.Literal(l)))),
    eyeSwapped: Type.Optional(Type.Boolean()),
    /** true: forget the override, back to the automatic decision. */
    automatic: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false },
);

function facts(p: ProjectionGuess) {
  return {
    projection: p.projection,
    stereo: p.stereo,
    fov: p.fov,
    lens: p.lens,
    eyeSwapped: p.eyeSwapped,
    label: p.label,
    source: p.source,
    sourceLabel: SOURCE_LABELS[p.source],
  };
}

/** The projection as shown, where it came from, the automatic decision and the stored override. */
export function projectionDetail(v: Video): ProjectionDetail {
  return { ...facts(v.projection), auto: facts(v.projectionAuto), override: v.user.projection };
}

export type ProjectionParts = Pick<Parts, 'catalog' | 'writer'>;

export default async function projectionRoutes(plain: FastifyInstance, opts: { parts: ProjectionParts }): Promise<void> {
  const app = plain.withTypeProvider<TypeBoxTypeProvider>();
  const { catalog, writer } = opts.parts;
  app.put(
    '/api/videos/:id/projection',
    { schema: { params: VideoIdParams, body: OverrideBody }, bodyLimit: 4 * 1024 },
    async (req, reply): Promise<ProjectionAnswer | typeof reply> => {
      catalog.syncWithStore();
      const v = catalog.get(req.params.id);
      if (!v) return sendError(reply, 404, 'Unknown video.');
      const { automatic, ...fields } = req.body;
      const override = automatic === true ? null : cleanOverride(fields);
      if (automatic !== true && override === null) {
        return sendError(reply, 400, 'Choose at least one of projection, layout, FOV, lens or eye swap, or go back to automatic.');
      }
      const updated = writer.userData(v.hash, { projection: override }) ?? v;
      const answer: ProjectionAnswer = {
        id: updated.id,
        kind: updated.projection.kind,
        stereo: updated.projection.stereo,
        projectionLabel: updated.projection.label,
        projection: projectionDetail(updated),
      };
      return answer;
    },
  );
}
