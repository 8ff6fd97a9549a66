// The headset path: an `immersive-vr` WebXR session drawing the video mesh once per eye (each
// eye its half of a stereo frame), the control panel below the line of sight, and the
// controller's trigger ("select") pressing the panel's buttons. TypeScript's DOM library has
// no WebXR types, so the few members used are declared here.
import { eyeRect, type ViewSpec } from './projection-math.ts';
import { multiply, rotationY, withoutTranslation, type GL, type Mat4, type MeshRenderer } from './gl.ts';
import { hitPanel, panelAction, type PanelAction } from './panel.ts';

interface XRRigidTransform {
  position: DOMPointReadOnly;
  matrix: Float32Array;
  inverse: XRRigidTransform;
}
interface XRView {
  eye: 'left' | 'right' | 'none';
  projectionMatrix: Float32Array;
  transform: XRRigidTransform;
}
interface XRFrame {
  getViewerPose(space: unknown): { views: readonly XRView[]; transform: XRRigidTransform } | null;
  getPose(space: unknown, base: unknown): { transform: XRRigidTransform } | null;
}
interface XRInputSourceEvent extends Event {
  frame: XRFrame;
  inputSource: { targetRaySpace: unknown };
}
export interface XRSessionLike extends EventTarget {
  renderState: { baseLayer?: { framebuffer: WebGLFramebuffer | null; getViewport(v: XRView): { x: number; y: number; width: number; height: number } } };
  updateRenderState(state: { baseLayer: unknown }): void | Promise<void>;
  requestReferenceSpace(type: string): Promise<unknown>;
  requestAnimationFrame(cb: (t: number, frame: XRFrame) => void): number;
  end(): Promise<void>;
}
export interface XRSystemLike {
  isSessionSupported(mode: string): Promise<boolean>;
  requestSession(mode: string, init?: { requiredFeatures?: string[]; optionalFeatures?: string[] }): Promise<XRSessionLike>;
}

/** The session options: 'local' (seated, origin at the head when the session starts) is all a
 *  video needs; no floor, no hand tracking, no extra permission prompt. */
export const SESSION_INIT = { optionalFeatures: ['local'] };

export function xrSystem(): XRSystemLike | null {
  return ((navigator as Navigator & { xr?: XRSystemLike }).xr ?? null) as XRSystemLike | null;
}

export async function immersiveSupported(): Promise<boolean> {
  const xr = xrSystem();
  if (!xr || !window.isSecureContext) return false;
  try {
    return await xr.isSessionSupported('immersive-vr');
  } catch {
    return false;
  }
}

export interface ImmersiveHooks {
  /** Before each frame: upload the newest video frame (and the panel if it changed). */
  beforeFrame(): void;
  panelVisible(): boolean;
  onAction(action: PanelAction, fraction: number): void;
  /** The trigger pointed nowhere on the panel: show or hide it. */
  onSelectElsewhere(): void;
  onEnded(): void;
}

/** Yaw (radians, to the right) the head faces: the longitude of its forward axis (-z column). */
function headYaw(m: Float32Array): number {
  return Math.atan2(-m[8]!, m[10]!);
}

export async function enterImmersive(gl: GL, renderer: MeshRenderer, spec: ViewSpec, hooks: ImmersiveHooks): Promise<{ end(): Promise<void>; recenter(): void }> {
  const xr = xrSystem();
  if (!xr) throw new Error('This browser has no WebXR.');
  const session = await xr.requestSession('immersive-vr', SESSION_INIT);
  // The viewer asks for an xrCompatible context up front; only an older one needs converting.
  const withXr = gl as GL & { makeXRCompatible?: () => Promise<void> };
  const attrs = gl.getContextAttributes() as (WebGLContextAttributes & { xrCompatible?: boolean }) | null;
  if (!attrs?.xrCompatible && withXr.makeXRCompatible) await withXr.makeXRCompatible();
  const Layer = (window as unknown as { XRWebGLLayer: new (s: XRSessionLike, g: GL) => unknown }).XRWebGLLayer;
  await session.updateRenderState({ baseLayer: new Layer(session, gl) });
  const space = await session.requestReferenceSpace('local');
  let model: Mat4 = rotationY(0);
  let lastYaw = 0;
  let currentYaw = 0;
  let ended = false;

  const onFrame = (_t: number, frame: XRFrame): void => {
    if (ended) return;
    session.requestAnimationFrame(onFrame);
    const pose = frame.getViewerPose(space);
    const layer = session.renderState.baseLayer;
    if (!pose || !layer) return;
    lastYaw = headYaw(pose.transform.matrix);
    hooks.beforeFrame();
    gl.bindFramebuffer(gl.FRAMEBUFFER, layer.framebuffer);
    gl.clearColor(0, 0, 0, 1);
    gl.clear(gl.COLOR_BUFFER_BIT | gl.DEPTH_BUFFER_BIT);
    for (const view of pose.views) {
      const vp = layer.getViewport(view);
      gl.viewport(vp.x, vp.y, vp.width, vp.height);
      const proj = view.projectionMatrix as Mat4;
      const eyeView = view.transform.inverse.matrix as Mat4;
      const eye = view.eye === 'right' ? 'right' : 'left';
      // The picture is at infinity (no head position), except a virtual screen you can lean to.
      const sceneView = spec.mapping === 'screen' ? eyeView : withoutTranslation(eyeView);
      renderer.draw('video', multiply(proj, multiply(sceneView, model)), eyeRect(spec.layout, eye, spec.eyeSwapped));
      if (hooks.panelVisible()) renderer.draw('panel', multiply(proj, multiply(eyeView, model)), { x: 0, y: 0, w: 1, h: 1 });
    }
  };

  const onSelect = (e: Event): void => {
    const ev = e as XRInputSourceEvent;
    const pose = ev.frame.getPose(ev.inputSource.targetRaySpace, space);
    if (!pose) return;
    // The ray in the recentred space: undo the model rotation (model = rotationY(-yaw)).
    const m = multiply(rotationY(currentYaw), pose.transform.matrix as Mat4);
    const origin = { x: m[12]!, y: m[13]!, z: m[14]! };
    const dir = { x: -m[8]!, y: -m[9]!, z: -m[10]! };
    const hit = hooks.panelVisible() ? hitPanel(origin, dir) : null;
    const act = hit ? panelAction(hit.u) : null;
    if (act) hooks.onAction(act.action, act.fraction);
    else hooks.onSelectElsewhere();
  };
  session.addEventListener('select', onSelect);
  session.addEventListener('end', () => {
    ended = true;
    hooks.onEnded();
  });
  session.requestAnimationFrame(onFrame);
  return {
    end: async () => {
      if (!ended) await session.end();
    },
    recenter: () => {
      // rotationY(a) turns the picture's centre to longitude -a: face it where the head looks.
      currentYaw = lastYaw;
      model = rotationY(-currentYaw);
    },
  };
}
