// The geometry a video is drawn on, with each vertex's texture coordinate computed once by the
// tested maths (projection-math.ts eyeUv): the GPU only interpolates, so no projection rule is
// written a second time in a shader. Grids are laid so the picture's edges are grid lines:
// longitude/latitude for equirectangular (the 180° edge and the 360° seam fall on columns), a
// polar grid around the lens axis for fisheye (the circle's edge is the last ring), and a plane
// for the virtual screen. Pure: no DOM, no WebGL.
import { eyeUv, fromLonLat, SCREEN_DISTANCE, SCREEN_WIDTH, screenHeight, type Uv, type Vec3, type ViewSpec } from './projection-math.ts';

export interface Mesh {
  /** x,y,z per vertex (metres). */
  positions: Float32Array<ArrayBuffer>;
  /** u,v per vertex inside one eye's picture; the renderer maps it into that eye's rect. */
  uvs: Float32Array<ArrayBuffer>;
  indices: Uint16Array<ArrayBuffer>;
}

/** Radius of the video sphere, metres: far enough that the control panel sits inside it. */
export const SPHERE_RADIUS = 10;
// Keeps grid points off the exact seam (where atan2 may answer -π or π) and the poles.
const EPS = 1e-6;

function grid(spec: ViewSpec, cols: number, rows: number, at: (i: number, j: number) => { pos: Vec3; dir: Vec3 }): Mesh {
  const n = (cols + 1) * (rows + 1);
  const positions = new Float32Array(n * 3);
  const uvs = new Float32Array(n * 2);
  let k = 0;
  for (let j = 0; j <= rows; j++) {
    for (let i = 0; i <= cols; i++, k++) {
      const { pos, dir } = at(i, j);
      // Inside by construction (edges pulled in by EPS); a centre fallback keeps a bad spec visible.
      const uv: Uv = eyeUv(spec, dir) ?? { u: 0.5, v: 0.5 };
      positions.set([pos.x, pos.y, pos.z], k * 3);
      uvs.set([uv.u, uv.v], k * 2);
    }
  }
  const indices = new Uint16Array(cols * rows * 6);
  let m = 0;
  for (let j = 0; j < rows; j++) {
    for (let i = 0; i < cols; i++) {
      const a = j * (cols + 1) + i;
      const b = a + cols + 1;
      indices.set([a, b, a + 1, a + 1, b, b + 1], m);
      m += 6;
    }
  }
  return { positions, uvs, indices };
}

const scale = (d: Vec3, r: number): Vec3 => ({ x: d.x * r, y: d.y * r, z: d.z * r });

/** The mesh for a video; vertices stay under 65,536 (Uint16 indices work on WebGL 1). */
export function buildMesh(s: ViewSpec, detail = 64): Mesh {
  switch (s.mapping) {
    case 'equirect360':
    case 'equirect180': {
      const span = s.mapping === 'equirect360' ? Math.PI : Math.PI / 2;
      const cols = s.mapping === 'equirect360' ? detail * 2 : detail;
      return grid(s, cols, detail, (i, j) => {
        const lon = -span + EPS + ((2 * span - 2 * EPS) * i) / cols;
        const lat = Math.PI / 2 - EPS - ((Math.PI - 2 * EPS) * j) / detail;
        const dir = fromLonLat(lon, lat);
        return { pos: scale(dir, SPHERE_RADIUS), dir };
      });
    }
    case 'fisheye': {
      const half = (s.fov / 2) * (Math.PI / 180) * (1 - EPS);
      return grid(s, detail * 2, detail, (i, j) => {
        const phi = (2 * Math.PI * i) / (detail * 2);
        const theta = (half * j) / detail;
        const dir = { x: Math.sin(theta) * Math.cos(phi), y: Math.sin(theta) * Math.sin(phi), z: -Math.cos(theta) };
        return { pos: scale(dir, SPHERE_RADIUS), dir };
      });
    }
    case 'screen': {
      const w = SCREEN_WIDTH * (1 - EPS);
      const h = screenHeight(s.screenAspect) * (1 - EPS);
      return grid(s, 1, 1, (i, j) => {
        const pos = { x: (i - 0.5) * w, y: (0.5 - j) * h, z: -SCREEN_DISTANCE };
        return { pos, dir: pos };
      });
    }
  }
}
