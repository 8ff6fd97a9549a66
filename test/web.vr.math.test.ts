// The browser VR viewer's projection maths (src/web/vr/projection-math.ts, mesh.ts) against
// points whose answer is known by construction: the centre of view, the edges of the picture,
// the fisheye circle, the eye halves of stereo layouts and the eye swap of _RL/_BT releases.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eyeRect, eyeUv, fromLonLat, lonLat, SCREEN_DISTANCE, SCREEN_WIDTH, screenHeight, texCoord, viewSpec, type ViewSpec } from '../src/web/vr/projection-math.ts';
import { buildMesh } from '../src/web/vr/mesh.ts';
import { deviceRotation, forwardYaw, transpose } from '../src/web/vr/motion.ts';

const AHEAD = { x: 0, y: 0, z: -1 };
const RIGHT = { x: 1, y: 0, z: 0 };
const LEFT = { x: -1, y: 0, z: 0 };
const UP = { x: 0, y: 1, z: 0 };
const BEHIND = { x: 0, y: 0, z: 1 };
const DEG = Math.PI / 180;

function near(actual: { u: number; v: number } | null, u: number, v: number, what: string): void {
  assert.ok(actual, `${what}: a texture coordinate, not null`);
  assert.ok(Math.abs(actual.u - u) < 1e-9 && Math.abs(actual.v - v) < 1e-9, `${what}: expected (${u}, ${v}), got (${actual.u}, ${actual.v})`);
}

const spec = (over: Partial<ViewSpec>): ViewSpec => ({ mapping: 'equirect180', layout: 'mono', eyeSwapped: false, fov: 180, lens: 'Linear', screenAspect: 16 / 9, ...over });

test('180° SBS: the centre of view is the centre of each eye\'s half; the edges are ±90°; behind is empty', () => {
  const s = spec({ layout: 'sbs' });
  near(texCoord(s, 'left', AHEAD), 0.25, 0.5, 'left eye ahead');
  near(texCoord(s, 'right', AHEAD), 0.75, 0.5, 'right eye ahead');
  near(texCoord(s, 'left', RIGHT), 0.5, 0.5, 'left eye 90° right = right edge of the left half');
  near(texCoord(s, 'left', LEFT), 0, 0.5, 'left eye 90° left');
  near(texCoord(s, 'right', UP), 0.75, 0, 'straight up = top row');
  assert.equal(texCoord(s, 'left', BEHIND), null);
  assert.equal(texCoord(s, 'left', fromLonLat(91 * DEG, 0)), null, 'just past the 180° edge');
});

test('eye swap (_RL) gives the left eye the right half, and _BT the bottom half', () => {
  near(texCoord(spec({ layout: 'sbs', eyeSwapped: true }), 'left', AHEAD), 0.75, 0.5, 'RL left eye');
  near(texCoord(spec({ layout: 'sbs', eyeSwapped: true }), 'right', AHEAD), 0.25, 0.5, 'RL right eye');
  near(texCoord(spec({ mapping: 'equirect360', layout: 'tb', eyeSwapped: true }), 'left', AHEAD), 0.5, 0.75, 'BT left eye');
  assert.deepEqual(eyeRect('mono', 'right', true), { x: 0, y: 0, w: 1, h: 1 }, 'mono ignores swap');
});

test('360°: ahead is the frame centre, right a quarter further, behind the seam; TB puts the left eye on top', () => {
  const mono = spec({ mapping: 'equirect360', fov: 360 });
  near(texCoord(mono, 'left', AHEAD), 0.5, 0.5, 'ahead');
  near(texCoord(mono, 'left', RIGHT), 0.75, 0.5, 'right');
  near(texCoord(mono, 'left', LEFT), 0.25, 0.5, 'left');
  const back = texCoord(mono, 'left', { x: 1e-9, y: 0, z: 1 });
  assert.ok(back && Math.abs(back.u - 1) < 1e-6, 'just right of behind = right edge of the frame');
  const tb = spec({ mapping: 'equirect360', layout: 'tb' });
  near(texCoord(tb, 'left', AHEAD), 0.5, 0.25, 'TB left eye ahead = centre of the top half');
  near(texCoord(tb, 'right', AHEAD), 0.5, 0.75, 'TB right eye ahead = centre of the bottom half');
  near(texCoord(tb, 'left', UP), 0.5, 0, 'TB straight up = top row of the top half');
});

test('fisheye: the axis is the circle centre, the circle edge is the FOV edge, past it nothing', () => {
  for (const [fov, lens] of [[180, 'Linear'], [190, 'Linear'], [200, 'MKX200'], [220, 'MKX220'], [220, 'VRCA220']] as const) {
    const s = spec({ mapping: 'fisheye', fov, lens, layout: 'sbs' });
    near(texCoord(s, 'left', AHEAD), 0.25, 0.5, `${lens} ${fov} centre`);
    const edge = (fov / 2) * DEG;
    const right = { x: Math.sin(edge), y: 0, z: -Math.cos(edge) };
    near(eyeUv(s, right), 1, 0.5, `${lens} ${fov}: ${fov / 2}° right = circle's right edge`);
    near(eyeUv(s, { x: 0, y: Math.sin(edge), z: -Math.cos(edge) }), 0.5, 0, `${lens} ${fov}: ${fov / 2}° up = circle's top`);
    const past = edge + DEG;
    assert.equal(eyeUv(s, { x: Math.sin(past), y: 0, z: -Math.cos(past) }), null, `${lens} ${fov}: 1° past the edge`);
  }
  // Equidistant: 90° off-axis on a 200° lens is 90/100 of the radius.
  const s = spec({ mapping: 'fisheye', fov: 200, lens: 'MKX200' });
  near(eyeUv(s, RIGHT), 0.5 + 0.45, 0.5, 'MKX200 at 90°');
  assert.ok(eyeUv(s, RIGHT), 'a 200° lens sees 90° to the side (a 180° equirect would be at its edge)');
});

test('virtual screen: ahead is the picture centre, its corners the screen corners, the sides are empty', () => {
  const s = spec({ mapping: 'screen', layout: 'sbs', screenAspect: 2 });
  near(texCoord(s, 'left', AHEAD), 0.25, 0.5, 'left eye centre');
  near(texCoord(s, 'right', AHEAD), 0.75, 0.5, 'right eye centre');
  const corner = { x: SCREEN_WIDTH / 2, y: screenHeight(2) / 2, z: -SCREEN_DISTANCE };
  near(eyeUv(s, corner), 1, 0, 'top-right corner');
  assert.equal(eyeUv(s, RIGHT), null);
  assert.equal(eyeUv(s, BEHIND), null);
});

test('viewSpec reads the model: flat 2D and cubemaps get no VR; 3D films a screen at the right aspect; lens and swap kept', () => {
  const p = (projection: string, stereo: string, fov: number, lens = 'Linear', eyeSwapped = false) => ({ projection, stereo, fov, lens, eyeSwapped });
  assert.equal(viewSpec(p('perspective', 'mono', 90)), null, 'flat 2D');
  assert.equal(viewSpec(p('equiangularCubemap', 'sbs', 360)), null, 'EAC is not drawn here');
  assert.equal(viewSpec(p('equirectangular', 'sbs', 180))?.mapping, 'equirect180');
  assert.equal(viewSpec(p('equirectangular360', 'mono', 360))?.mapping, 'equirect360');
  assert.deepEqual(viewSpec(p('fisheye', 'sbs', 200, 'MKX200', true)), { mapping: 'fisheye', layout: 'sbs', eyeSwapped: true, fov: 200, lens: 'MKX200', screenAspect: 16 / 9 });
  assert.equal(viewSpec(p('fisheye', 'sbs', 190, 'rf52'))?.lens, 'Linear', 'an unknown lens name falls back to the ideal curve');
  assert.equal(viewSpec(p('equirectangular', 'mono', 180, 'Linear', true))?.eyeSwapped, false, 'mono has no eyes to swap');
  assert.equal(viewSpec(p('perspective', 'sbs', 90), 1920, 1080)?.screenAspect, 1920 / 1080, 'half-SBS: shown at the frame aspect');
  assert.equal(viewSpec(p('perspective', 'sbs', 90), 3840, 1080)?.screenAspect, 1920 / 1080, 'full SBS: one eye\'s aspect');
  assert.equal(viewSpec(p('perspective', 'tb', 90), 1920, 1080)?.screenAspect, 1920 / 1080, 'half-OU');
  assert.equal(viewSpec(p('perspective', 'tb', 90), 0, 0)?.screenAspect, 16 / 9, 'not probed yet');
});

test('lonLat and fromLonLat are inverses', () => {
  for (const [lon, lat] of [[0, 0], [1, 0.3], [-2.5, -1.2], [3, 1.5]] as const) {
    const back = lonLat(fromLonLat(lon, lat));
    assert.ok(Math.abs(back.lon - lon) < 1e-9 && Math.abs(back.lat - lat) < 1e-9, `${lon},${lat}`);
  }
});

test('meshes: every vertex inside its eye picture, the 360° rows never wrap, the fisheye rim on the circle', () => {
  for (const mapping of ['equirect180', 'equirect360', 'fisheye', 'screen'] as const) {
    const m = buildMesh(spec({ mapping, fov: mapping === 'fisheye' ? 200 : 180 }), 16);
    assert.ok(m.positions.length / 3 < 65536);
    for (const x of m.uvs) assert.ok(x >= -1e-6 && x <= 1 + 1e-6, `${mapping}: uv ${x} inside [0,1]`);
    for (const i of m.indices) assert.ok(i < m.positions.length / 3);
  }
  const sphere = buildMesh(spec({ mapping: 'equirect360', fov: 360 }), 8);
  const cols = 17;
  for (let row = 1; row < 8; row++) {
    for (let i = 1; i < cols; i++) assert.ok(sphere.uvs[(row * cols + i) * 2]! > sphere.uvs[(row * cols + i - 1) * 2]!, `row ${row} col ${i}: u increases`);
    assert.ok(sphere.uvs[(row * cols) * 2]! < 1e-5 && sphere.uvs[(row * cols + cols - 1) * 2]! > 1 - 1e-5, 'the seam is at both ends');
  }
  const fish = buildMesh(spec({ mapping: 'fisheye', fov: 220, lens: 'MKX220' }), 8);
  const last = 8 * 17;
  for (let i = 0; i < 17; i++) {
    const u = fish.uvs[(last + i) * 2]! - 0.5;
    const v = fish.uvs[(last + i) * 2 + 1]! - 0.5;
    assert.ok(Math.abs(Math.hypot(u, v) - 0.5) < 1e-5, 'last ring on the circle');
  }
});

test('turning the phone: upright facing north looks ahead; turned 90° left (alpha 90) looks left; flat looks down; landscape keeps up', () => {
  const fwd = (m: Float32Array) => ({ x: -m[8]!, y: -m[9]!, z: -m[10]! });
  const up = (m: Float32Array) => ({ x: m[4]!, y: m[5]!, z: m[6]! });
  const close = (a: { x: number; y: number; z: number }, b: { x: number; y: number; z: number }, what: string) =>
    assert.ok(Math.abs(a.x - b.x) < 1e-6 && Math.abs(a.y - b.y) < 1e-6 && Math.abs(a.z - b.z) < 1e-6, `${what}: ${JSON.stringify(a)} vs ${JSON.stringify(b)}`);
  close(fwd(deviceRotation(0, 90, 0)), AHEAD, 'upright portrait, compass 0');
  close(up(deviceRotation(0, 90, 0)), UP, 'upright portrait: screen top is up');
  close(fwd(deviceRotation(90, 90, 0)), LEFT, 'alpha grows counter-clockwise seen from above: 90 looks west, i.e. left');
  assert.ok(Math.abs(forwardYaw(deviceRotation(90, 90, 0)) + Math.PI / 2) < 1e-6);
  close(fwd(deviceRotation(0, 0, 0)), { x: 0, y: -1, z: 0 }, 'lying flat, screen up: the back camera looks down');
  // Landscape (screen turned 90°, device rolled onto its side by gamma -90 when upright in landscape).
  close(up(deviceRotation(0, 0, -90, 90)), UP, 'landscape: the screen top is still up');
  const v = transpose(deviceRotation(30, 70, 10));
  const r = deviceRotation(30, 70, 10);
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) assert.ok(Math.abs(v[i * 4 + j]! - r[j * 4 + i]!) < 1e-9);
});
