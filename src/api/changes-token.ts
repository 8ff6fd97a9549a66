// The token an open browser page keeps to ask what changed since its last look (GET /api/changes):
// the catalog's list and video versions and the media pipeline's change count, in one string. One
// place, because /api/library hands out the first one and /api/changes reads it back.
import type { Catalog } from '../catalog/catalog.ts';
import type { MediaPipeline } from '../media/pipeline.ts';

export function changesToken(catalog: Pick<Catalog, 'listVersion' | 'version'>, media: Pick<MediaPipeline, 'changeCount'>): string {
  return `${catalog.listVersion}.${catalog.version}.${media.changeCount}`;
}

/** The parts of a token, or null when it is not one. */
export function parseChangesToken(token: string | undefined): { list: number; version: number; media: number } | null {
  const [list, version, media] = (token ?? '').split('.').map(Number);
  return Number.isInteger(list) && Number.isInteger(version) && Number.isInteger(media) ? { list: list!, version: version!, media: media! } : null;
}
