// The whole renderer: one textured-mesh shader program in plain WebGL (1 or 2), drawing the
// video mesh (mesh.ts) once per eye with that eye's part of the frame, and the in-headset
// control panel. Hand-written instead of three.js r187: the whole viewer chunk is about 16 KB
// (6 KB gzipped) against 522 KB (130 KB gzipped) for three's minimal video sphere, and it drew
// frames no slower (BENCHMARKS.md "Browser VR viewer"); a video sphere needs nothing more.
// Small 4x4 matrix helpers (column-major, as WebGL wants) live here too.
import type { Mesh } from './mesh.ts';
import type { Rect } from './projection-math.ts';

export type Mat4 = Float32Array<ArrayBuffer>;

const VERT = `attribute vec3 aPos;
attribute vec2 aUv;
uniform mat4 uViewProj;
uniform vec4 uRect;
varying vec2 vUv;
void main() {
  vUv = uRect.xy + aUv * uRect.zw;
  gl_Position = uViewProj * vec4(aPos, 1.0);
}`;

const FRAG = `precision mediump float;
uniform sampler2D uTex;
varying vec2 vUv;
void main() { gl_FragColor = texture2D(uTex, vUv); }`;

interface Drawable {
  pos: WebGLBuffer;
  uv: WebGLBuffer;
  idx: WebGLBuffer;
  count: number;
  tex: WebGLTexture;
}

export type GL = WebGLRenderingContext | WebGL2RenderingContext;

export class MeshRenderer {
  private readonly prog: WebGLProgram;
  private readonly aPos: number;
  private readonly aUv: number;
  private readonly uViewProj: WebGLUniformLocation | null;
  private readonly uRect: WebGLUniformLocation | null;
  private video: Drawable | null = null;
  private panel: Drawable | null = null;

  constructor(readonly gl: GL) {
    const prog = gl.createProgram();
    if (!prog) throw new Error('WebGL could not create a program');
    for (const [type, src] of [[gl.VERTEX_SHADER, VERT], [gl.FRAGMENT_SHADER, FRAG]] as const) {
      const sh = gl.createShader(type);
      if (!sh) throw new Error('WebGL could not create a shader');
      gl.shaderSource(sh, src);
      gl.compileShader(sh);
      if (!gl.getShaderParameter(sh, gl.COMPILE_STATUS)) throw new Error(`shader: ${gl.getShaderInfoLog(sh) ?? 'compile failed'}`);
      gl.attachShader(prog, sh);
    }
    gl.linkProgram(prog);
    if (!gl.getProgramParameter(prog, gl.LINK_STATUS)) throw new Error(`program: ${gl.getProgramInfoLog(prog) ?? 'link failed'}`);
    this.prog = prog;
    this.aPos = gl.getAttribLocation(prog, 'aPos');
    this.aUv = gl.getAttribLocation(prog, 'aUv');
    this.uViewProj = gl.getUniformLocation(prog, 'uViewProj');
    this.uRect = gl.getUniformLocation(prog, 'uRect');
  }

  private upload(mesh: Mesh): Drawable {
    const gl = this.gl;
    const buf = (target: number, data: BufferSource): WebGLBuffer => {
      const b = gl.createBuffer();
      if (!b) throw new Error('WebGL could not create a buffer');
      gl.bindBuffer(target, b);
      gl.bufferData(target, data, gl.STATIC_DRAW);
      return b;
    };
    const tex = gl.createTexture();
    if (!tex) throw new Error('WebGL could not create a texture');
    gl.bindTexture(gl.TEXTURE_2D, tex);
    // Video frames are not powers of two: no mipmaps, clamped edges (valid on WebGL 1 too).
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MIN_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_MAG_FILTER, gl.LINEAR);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_S, gl.CLAMP_TO_EDGE);
    gl.texParameteri(gl.TEXTURE_2D, gl.TEXTURE_WRAP_T, gl.CLAMP_TO_EDGE);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, 1, 1, 0, gl.RGBA, gl.UNSIGNED_BYTE, new Uint8Array([0, 0, 0, 255]));
    return {
      pos: buf(gl.ARRAY_BUFFER, mesh.positions),
      uv: buf(gl.ARRAY_BUFFER, mesh.uvs),
      idx: buf(gl.ELEMENT_ARRAY_BUFFER, mesh.indices),
      count: mesh.indices.length,
      tex,
    };
  }

  setVideoMesh(mesh: Mesh): void {
    this.video = this.upload(mesh);
  }

  setPanelMesh(mesh: Mesh): void {
    this.panel = this.upload(mesh);
  }

  /** Copies the current frame (video element) or the panel's drawing (canvas) to the GPU. */
  updateTexture(which: 'video' | 'panel', source: TexImageSource): void {
    const d = which === 'video' ? this.video : this.panel;
    if (!d) return;
    const gl = this.gl;
    gl.bindTexture(gl.TEXTURE_2D, d.tex);
    gl.texImage2D(gl.TEXTURE_2D, 0, gl.RGBA, gl.RGBA, gl.UNSIGNED_BYTE, source);
  }

  draw(which: 'video' | 'panel', viewProj: Mat4, rect: Rect): void {
    const d = which === 'video' ? this.video : this.panel;
    if (!d) return;
    const gl = this.gl;
    gl.useProgram(this.prog);
    gl.bindBuffer(gl.ARRAY_BUFFER, d.pos);
    gl.enableVertexAttribArray(this.aPos);
    gl.vertexAttribPointer(this.aPos, 3, gl.FLOAT, false, 0, 0);
    gl.bindBuffer(gl.ARRAY_BUFFER, d.uv);
    gl.enableVertexAttribArray(this.aUv);
    gl.vertexAttribPointer(this.aUv, 2, gl.FLOAT, false, 0, 0);
    gl.bindBuffer(gl.ELEMENT_ARRAY_BUFFER, d.idx);
    gl.activeTexture(gl.TEXTURE0);
    gl.bindTexture(gl.TEXTURE_2D, d.tex);
    gl.uniformMatrix4fv(this.uViewProj, false, viewProj);
    gl.uniform4f(this.uRect, rect.x, rect.y, rect.w, rect.h);
    gl.drawElements(gl.TRIANGLES, d.count, gl.UNSIGNED_SHORT, 0);
  }
}

export function multiply(a: Mat4, b: Mat4): Mat4 {
  const o = new Float32Array(16);
  for (let c = 0; c < 4; c++) {
    for (let r = 0; r < 4; r++) {
      let s = 0;
      for (let k = 0; k < 4; k++) s += a[k * 4 + r]! * b[c * 4 + k]!;
      o[c * 4 + r] = s;
    }
  }
  return o;
}

export function perspective(fovY: number, aspect: number, near = 0.05, far = 100): Mat4 {
  const f = 1 / Math.tan(fovY / 2);
  const nf = 1 / (near - far);
  return new Float32Array([f / aspect, 0, 0, 0, 0, f, 0, 0, 0, 0, (far + near) * nf, -1, 0, 0, 2 * far * near * nf, 0]);
}

/** View matrix of a head turned `yaw` radians to the right and `pitch` up (no position). */
export function lookYawPitch(yaw: number, pitch: number): Mat4 {
  return multiply(rotationX(-pitch), rotationY(yaw));
}

export function rotationY(a: number): Mat4 {
  const c = Math.cos(a);
  const s = Math.sin(a);
  return new Float32Array([c, 0, -s, 0, 0, 1, 0, 0, s, 0, c, 0, 0, 0, 0, 1]);
}

export function rotationX(a: number): Mat4 {
  const c = Math.cos(a);
  const s = Math.sin(a);
  return new Float32Array([1, 0, 0, 0, 0, c, s, 0, 0, -s, c, 0, 0, 0, 0, 1]);
}

/** The same view without its position: the video sphere is at infinity, it never gets nearer. */
export function withoutTranslation(m: Mat4): Mat4 {
  const o = new Float32Array(m);
  o[12] = 0;
  o[13] = 0;
  o[14] = 0;
  return o;
}
