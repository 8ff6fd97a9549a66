// Page script of bench/vr.ts (bundled by esbuild at bench time): draws frames of a 180° SBS video
// sphere into a 1280x720 canvas with the product's renderer (src/web/vr/gl.ts + mesh.ts), or with
// three.js when the bench found it, and reports per-frame times. A frame is what the viewer does
// per animation frame: upload a new 4096x2048 video frame (a canvas stands in for the decoder),
// draw, and wait for the GPU (a 1-pixel readPixels) so the time is the work, not the queueing.
import { buildMesh } from '../../src/web/vr/mesh.ts';
import { eyeRect, viewSpec } from '../../src/web/vr/projection-math.ts';
import { lookYawPitch, MeshRenderer, multiply, perspective } from '../../src/web/vr/gl.ts';

declare const THREE_VARIANT: boolean;

const W = 1280;
const H = 720;

function source(): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = 4096;
  c.height = 2048;
  const g = c.getContext('2d')!;
  g.fillStyle = '#2a6';
  g.fillRect(0, 0, 4096, 2048);
  g.fillStyle = '#c33';
  g.fillRect(1024, 512, 2048, 1024);
  return c;
}

async function handWritten(frames: number): Promise<number[]> {
  const canvas = document.createElement('canvas');
  canvas.width = W;
  canvas.height = H;
  document.body.append(canvas);
  const gl = canvas.getContext('webgl2', { antialias: false })!;
  const spec = viewSpec({ projection: 'equirectangular', stereo: 'sbs', fov: 180, lens: 'Linear', eyeSwapped: false })!;
  const r = new MeshRenderer(gl);
  r.setVideoMesh(buildMesh(spec));
  const src = source();
  const px = new Uint8Array(4);
  const times: number[] = [];
  for (let i = 0; i < frames; i++) {
    const t0 = performance.now();
    r.updateTexture('video', src);
    gl.viewport(0, 0, W, H);
    gl.clear(gl.COLOR_BUFFER_BIT);
    r.draw('video', multiply(perspective((80 * Math.PI) / 180, W / H), lookYawPitch(i * 0.01, 0)), eyeRect(spec.layout, 'left', false));
    gl.readPixels(W / 2, H / 2, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    times.push(performance.now() - t0);
  }
  return times;
}

async function withThree(frames: number): Promise<number[]> {
  // Resolved by bench/vr.ts from THREE_DIR (three.js is not a dependency of the product).
  // @ts-ignore -- no types without the package installed
  const THREE: any = await import('three'); // eslint-disable-line @typescript-eslint/no-explicit-any
  const renderer = new THREE.WebGLRenderer({ antialias: false });
  renderer.setSize(W, H, false);
  document.body.append(renderer.domElement);
  const scene = new THREE.Scene();
  const camera = new THREE.PerspectiveCamera(80, W / H, 0.05, 100);
  const tex = new THREE.CanvasTexture(source());
  tex.generateMipmaps = false;
  tex.minFilter = THREE.LinearFilter;
  // The usual three.js 180° SBS recipe: a half sphere with the left half of the texture.
  const geo = new THREE.SphereGeometry(10, 64, 64, Math.PI, Math.PI);
  const uv = geo.attributes['uv']!;
  for (let i = 0; i < uv.count; i++) uv.setX(i, uv.getX(i) * 0.5);
  scene.add(new THREE.Mesh(geo, new THREE.MeshBasicMaterial({ map: tex, side: THREE.BackSide })));
  const gl = renderer.getContext();
  const px = new Uint8Array(4);
  const times: number[] = [];
  for (let i = 0; i < frames; i++) {
    const t0 = performance.now();
    tex.needsUpdate = true;
    camera.rotation.y = -i * 0.01;
    renderer.render(scene, camera);
    gl.readPixels(W / 2, H / 2, 1, 1, gl.RGBA, gl.UNSIGNED_BYTE, px);
    times.push(performance.now() - t0);
  }
  return times;
}

(window as unknown as { runBench: (frames: number) => Promise<number[]> }).runBench = (frames) => (THREE_VARIANT ? withThree(frames) : handWritten(frames));
