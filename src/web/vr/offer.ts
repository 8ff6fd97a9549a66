// Whether the detail view offers "Play in VR" for a video: exactly when the viewer has a way to
// draw its projection (projection-math.ts viewSpec), so flat 2D films never get the button.
// Small and pure on purpose: the main bundle imports it; the renderer stays in the lazy chunk.
import { viewSpec, type ProjectionFacts } from './projection-math.ts';

export function vrOffered(p: ProjectionFacts): boolean {
  return viewSpec(p) !== null;
}
