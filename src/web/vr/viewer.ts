// "Play in VR": the lazily loaded part of the browser view (its own chunk, fetched only when the
// button is pressed, so the grid never pays for it). A full-screen dialog with the video drawn
// by the WebGL renderer: inline as a "magic window" you drag (or arrow-key) to look around, one
// eye shown for stereo; and, where WebXR offers immersive-vr, "Enter VR" for both eyes in the
// headset. The stream is the same /play URL as the flat player (signed when login is on), so
// seeking is the browser's Range requests. Playback is reported like a player's events
// (open/play/pause/close, library/playback.ts): resume point and play count stay in step.
import { sendPlayback, type PlaybackEvent } from '../api.ts';
import { h, icon } from '../dom.ts';
import { formatDuration } from '../format.ts';
import { toast } from '../toast.ts';
import { buildMesh } from './mesh.ts';
import { eyeRect, viewSpec, type ProjectionFacts, type ViewSpec } from './projection-math.ts';
import { lookYawPitch, MeshRenderer, multiply, perspective, rotationY, type GL, type Mat4 } from './gl.ts';
import { drawPanel, makePanelCanvas, panelMesh, type PanelAction } from './panel.ts';
import { enterImmersive, immersiveSupported } from './immersive.ts';
import { deviceRotation, forwardYaw, transpose } from './motion.ts';

export interface VrRequest {
  videoId: string;
  url: string;
  name: string;
  projection: ProjectionFacts;
  width: number;
  height: number;
  resumeMs: number;
}

/** Inline vertical field of view, radians: a phone-like window onto the sphere. */
const INLINE_FOV = (80 * Math.PI) / 180;
const PITCH_LIMIT = (85 * Math.PI) / 180;
const KEY_STEP = (10 * Math.PI) / 180;

let current: VrViewer | null = null;

/** Opens the viewer for one file; returns false (with a toast) when it cannot be shown. */
export function openVr(req: VrRequest): boolean {
  const spec = viewSpec(req.projection, req.width, req.height);
  if (!spec) {
    toast('This video is flat: use the ordinary player.', 'error');
    return false;
  }
  current?.close();
  try {
    current = new VrViewer(req, spec);
  } catch (err) {
    toast(`VR playback is not possible in this browser: ${(err as Error).message}`, 'error');
    return false;
  }
  return true;
}

class VrViewer {
  private readonly dialog: HTMLDialogElement;
  private readonly canvas = h('canvas', { class: 'vr-canvas', attrs: { 'aria-label': 'Video: drag to look around', tabindex: 0 } });
  private readonly video = h('video', { class: 'vr-video', attrs: { playsinline: true, 'aria-hidden': 'true' } });
  private readonly toggleBtn = h('button', { class: 'btn vr-toggle', attrs: { type: 'button' } });
  private readonly seek = h('input', { class: 'vr-seek', attrs: { type: 'range', min: 0, max: 1000, value: 0, 'aria-label': 'Position' } });
  private readonly timeEl = h('span', { class: 'vr-time muted' });
  private readonly enterBtn = h('button', { class: 'btn btn-primary vr-enter', attrs: { type: 'button', hidden: true } }, icon('headset'), h('span', { text: 'Enter VR' }));
  private readonly gl: GL;
  private readonly renderer: MeshRenderer;
  private readonly panel = makePanelCanvas();
  private yaw = 0;
  private pitch = 0;
  private raf = 0;
  private closed = false;
  private opened = false;
  private viaServer = false;
  private panelShown = true;
  private panelKey = '';
  private frameKey = '';
  private xr: { end(): Promise<void>; recenter(): void } | null = null;
  /** Phone orientation (camera to world) while "Motion" is on, and the heading it started at. */
  private motion: Mat4 | null = null;
  private motionYaw0: number | null = null;
  private readonly motionBtn = h('button', { class: 'btn vr-motion', attrs: { type: 'button', 'aria-pressed': 'false', hidden: true } }, h('span', { text: 'Motion' }));

  constructor(
    private readonly req: VrRequest,
    private readonly spec: ViewSpec,
  ) {
    const gl = (this.canvas.getContext('webgl2', { xrCompatible: true, antialias: false }) ??
      this.canvas.getContext('webgl', { xrCompatible: true, antialias: false })) as GL | null;
    if (!gl) throw new Error('WebGL is off or unsupported');
    this.gl = gl;
    this.renderer = new MeshRenderer(gl);
    this.renderer.setVideoMesh(buildMesh(spec));
    this.renderer.setPanelMesh(panelMesh());

    const close = h('button', { class: 'icon-btn vr-close', attrs: { type: 'button', 'aria-label': 'Close VR view' } }, icon('close'));
    const recenter = h('button', { class: 'btn vr-recenter', attrs: { type: 'button' } }, h('span', { text: 'Recenter' }));
    this.dialog = h(
      'dialog',
      { class: 'vr', attrs: { 'aria-label': `VR view of ${req.name}` } },
      this.canvas,
      this.video,
      h('div', { class: 'vr-bar' }, this.toggleBtn, this.seek, this.timeEl, recenter, this.motionBtn, this.enterBtn, close),
    );
    close.addEventListener('click', () => this.close());
    recenter.addEventListener('click', () => this.recenter());
    this.toggleBtn.addEventListener('click', () => this.toggle());
    this.enterBtn.addEventListener('click', () => void this.enterVr());
    this.motionBtn.addEventListener('click', () => void this.toggleMotion());
    // Phones and tablets: turning the device looks around (touch screens with orientation sensors).
    this.motionBtn.hidden = !('DeviceOrientationEvent' in window && window.matchMedia('(pointer: coarse)').matches);
    this.seek.addEventListener('input', () => this.seekTo(Number(this.seek.value) / 1000));
    this.dialog.addEventListener('close', () => this.close());
    this.wireLook();
    this.wireVideo();
    document.body.append(this.dialog);
    this.dialog.showModal();
    this.canvas.focus();
    void immersiveSupported().then((ok) => (this.enterBtn.hidden = !ok || this.closed));
    this.paintBar();
    this.loop();
  }

  private wireVideo(): void {
    const v = this.video;
    // The texture needs readable pixels: CORS mode (same-origin /play is always readable).
    v.crossOrigin = 'anonymous';
    v.preload = 'auto';
    v.src = this.req.url;
    v.addEventListener('loadedmetadata', () => {
      const at = this.req.resumeMs / 1000;
      if (at > 0 && at < v.duration - 5) v.currentTime = at;
    }, { once: true });
    v.addEventListener('playing', () => {
      if (!this.opened) {
        this.opened = true;
        this.report('open');
      }
      this.report('play');
      this.paintBar();
    });
    v.addEventListener('pause', () => {
      if (!v.ended && this.opened) this.report('pause');
      this.paintBar();
    });
    v.addEventListener('timeupdate', () => this.paintBar());
    v.addEventListener('error', () => {
      // WebGL may only read frames the page is allowed to read. When /play redirected to a
      // download server without CORS headers, ask the server to stream it instead (same origin).
      if (!this.viaServer) {
        this.viaServer = true;
        const at = v.currentTime;
        v.src = `${this.req.url}${this.req.url.includes('?') ? '&' : '?'}via=server`;
        if (at > 0) v.addEventListener('loadedmetadata', () => void (v.currentTime = at), { once: true });
        v.play().catch(() => undefined);
        return;
      }
      toast('This file cannot be shown in VR in this browser (codec or link). Try a player app with the copied URL.', 'error');
    });
    v.play().catch(() => this.paintBar());
    window.addEventListener('pagehide', this.onPageHide);
  }

  private readonly onPageHide = (): void => {
    if (this.opened) this.report('close', true);
    this.opened = false; // the pause of the unloading page is not a player's pause
  };

  private report(event: PlaybackEvent, keepalive = false): void {
    sendPlayback(this.req.videoId, event, this.video.currentTime * 1000, keepalive).catch(() => undefined);
  }

  private wireLook(): void {
    let last: { x: number; y: number } | null = null;
    this.canvas.addEventListener('pointerdown', (e) => {
      last = { x: e.clientX, y: e.clientY };
      this.canvas.setPointerCapture(e.pointerId);
    });
    this.canvas.addEventListener('pointermove', (e) => {
      if (!last) return;
      // Drag the picture: moving the pointer right turns the view left, one pixel = one pixel.
      const perPx = INLINE_FOV / Math.max(1, this.canvas.clientHeight);
      this.look(-(e.clientX - last.x) * perPx, (e.clientY - last.y) * perPx);
      last = { x: e.clientX, y: e.clientY };
    });
    const stop = (): void => void (last = null);
    this.canvas.addEventListener('pointerup', stop);
    this.canvas.addEventListener('pointercancel', stop);
    this.canvas.addEventListener('keydown', (e) => {
      const step: Record<string, [number, number]> = { ArrowLeft: [-KEY_STEP, 0], ArrowRight: [KEY_STEP, 0], ArrowUp: [0, KEY_STEP], ArrowDown: [0, -KEY_STEP] };
      const s = step[e.key];
      if (s) {
        e.preventDefault();
        this.look(s[0], s[1]);
      } else if (e.key === ' ') {
        e.preventDefault();
        this.toggle();
      }
    });
  }

  private readonly onOrientation = (e: DeviceOrientationEvent): void => {
    if (e.alpha === null || e.beta === null || e.gamma === null) return;
    const m = deviceRotation(e.alpha, e.beta, e.gamma, screen.orientation?.angle ?? 0);
    this.motionYaw0 ??= forwardYaw(m); // the picture's centre starts where the phone points
    this.motion = m;
  };

  private async toggleMotion(): Promise<void> {
    const on = this.motionBtn.getAttribute('aria-pressed') !== 'true';
    if (on) {
      // iOS asks the person first; elsewhere the events just flow.
      const ask = (DeviceOrientationEvent as unknown as { requestPermission?: () => Promise<string> }).requestPermission;
      if (ask && (await ask().catch(() => 'denied')) !== 'granted') return toast('Motion access was refused: drag to look around.', 'error');
      window.addEventListener('deviceorientation', this.onOrientation);
    } else {
      window.removeEventListener('deviceorientation', this.onOrientation);
    }
    this.motion = null;
    this.motionYaw0 = null;
    this.yaw = 0;
    this.pitch = 0;
    this.motionBtn.setAttribute('aria-pressed', String(on));
  }

  /** The inline view: the phone's orientation (plus any drag) when Motion is on, else the drag. */
  private inlineView(): Mat4 {
    if (!this.motion || this.motionYaw0 === null) return lookYawPitch(this.yaw, this.pitch);
    // rotationY(a) puts the picture's centre at longitude -a (see immersive.ts recenter).
    return multiply(transpose(this.motion), rotationY(this.yaw - this.motionYaw0));
  }

  private look(dYaw: number, dPitch: number): void {
    this.yaw += dYaw;
    this.pitch = Math.max(-PITCH_LIMIT, Math.min(PITCH_LIMIT, this.pitch + dPitch));
  }

  private toggle(): void {
    if (this.video.paused) void this.video.play().catch(() => undefined);
    else this.video.pause();
  }

  private seekTo(fraction: number): void {
    const d = this.video.duration;
    if (Number.isFinite(d) && d > 0) this.video.currentTime = Math.max(0, Math.min(d - 0.1, fraction * d));
  }

  private recenter(): void {
    this.yaw = 0;
    this.pitch = 0;
    if (this.motion) this.motionYaw0 = forwardYaw(this.motion);
    this.xr?.recenter();
  }

  private paintBar(): void {
    const v = this.video;
    const d = Number.isFinite(v.duration) ? v.duration : 0;
    const playing = !v.paused;
    this.toggleBtn.replaceChildren(h('span', { text: playing ? 'Pause' : 'Play' }));
    this.toggleBtn.setAttribute('aria-pressed', String(playing));
    if (d > 0 && document.activeElement !== this.seek) this.seek.value = String(Math.round((v.currentTime / d) * 1000));
    this.timeEl.textContent = `${formatDuration(v.currentTime * 1000) || '0:00'} / ${formatDuration(d * 1000) || '–'}`;
  }

  /** Uploads the newest decoded frame, and the panel when what it shows changed. */
  private upload(): void {
    const v = this.video;
    // A headset draws at 72-120 Hz, films run at 24-60 fps: upload a frame once, not per draw.
    const frameKey = `${v.currentTime} ${v.videoWidth}`;
    if (v.readyState >= 2 && frameKey !== this.frameKey) {
      this.frameKey = frameKey;
      this.renderer.updateTexture('video', v);
    }
    const d = Number.isFinite(v.duration) && v.duration > 0 ? v.duration : 0;
    const key = `${v.paused} ${Math.floor(v.currentTime)}`;
    if (key !== this.panelKey) {
      this.panelKey = key;
      drawPanel(this.panel, !v.paused, d ? v.currentTime / d : 0, this.timeEl.textContent ?? '');
      this.renderer.updateTexture('panel', this.panel);
    }
  }

  private loop(): void {
    this.raf = requestAnimationFrame(() => this.loop());
    if (this.xr) return; // the headset draws (immersive.ts)
    const c = this.canvas;
    const dpr = Math.min(window.devicePixelRatio || 1, 2);
    const w = Math.max(1, Math.round(c.clientWidth * dpr));
    const ht = Math.max(1, Math.round(c.clientHeight * dpr));
    if (c.width !== w || c.height !== ht) {
      c.width = w;
      c.height = ht;
    }
    this.upload();
    const gl = this.gl;
    gl.bindFramebuffer(gl.FRAMEBUFFER, null);
    gl.viewport(0, 0, w, ht);
    gl.clearColor(0, 0, 0, 1);
    gl.clear(gl.COLOR_BUFFER_BIT);
    const viewProj = multiply(perspective(INLINE_FOV, w / ht), this.inlineView());
    // One eye inline: the left one (its half of a stereo frame).
    this.renderer.draw('video', viewProj, eyeRect(this.spec.layout, 'left', this.spec.eyeSwapped));
  }

  private async enterVr(): Promise<void> {
    try {
      this.xr = await enterImmersive(this.gl, this.renderer, this.spec, {
        beforeFrame: () => this.upload(),
        panelVisible: () => this.panelShown || this.video.paused,
        onAction: (a, f) => this.onPanel(a, f),
        onSelectElsewhere: () => void (this.panelShown = !this.panelShown),
        onEnded: () => void (this.xr = null),
      });
      this.dialog.classList.add('vr-immersive');
      void this.video.play().catch(() => undefined);
    } catch (err) {
      toast(`Could not enter VR: ${(err as Error).message}`, 'error');
    }
  }

  private onPanel(action: PanelAction, fraction: number): void {
    const v = this.video;
    const jump = (s: number): void => void (v.currentTime = Math.max(0, v.currentTime + s));
    const acts: Record<PanelAction, () => void> = {
      toggle: () => this.toggle(),
      back: () => jump(-10),
      forward: () => jump(10),
      seek: () => this.seekTo(fraction),
      recenter: () => this.recenter(),
      exit: () => void this.xr?.end(),
    };
    acts[action]();
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    cancelAnimationFrame(this.raf);
    void this.xr?.end();
    window.removeEventListener('pagehide', this.onPageHide);
    window.removeEventListener('deviceorientation', this.onOrientation);
    if (this.opened) this.report('close', true);
    this.opened = false; // the pause below is not a player's pause
    const v = this.video;
    v.pause();
    v.removeAttribute('src');
    v.load();
    if (this.dialog.open) this.dialog.close();
    this.dialog.remove();
    if (current === this) current = null;
  }
}
