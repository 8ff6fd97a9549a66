// The control bar inside the headset, where the page's buttons cannot be seen: a flat panel
// floating below the line of sight, drawn on a 2D canvas (then uploaded as a texture) and hit by
// the controller's pointing ray. One table of buttons drives both the drawing and the hit test.
import type { Mesh } from './mesh.ts';

export type PanelAction = 'toggle' | 'back' | 'seek' | 'forward' | 'recenter' | 'exit';

/** Buttons left to right, in panel units (0..1 across); the seek bar takes the middle. */
export const PANEL_BUTTONS: ReadonlyArray<{ action: PanelAction; from: number; to: number }> = [
  { action: 'toggle', from: 0.01, to: 0.11 },
  { action: 'back', from: 0.12, to: 0.22 },
  { action: 'seek', from: 0.24, to: 0.64 },
  { action: 'forward', from: 0.66, to: 0.76 },
  { action: 'recenter', from: 0.77, to: 0.87 },
  { action: 'exit', from: 0.88, to: 0.99 },
];

/** Where the panel floats, metres, in the space the video is recentred in. */
export const PANEL = { width: 1.2, height: 0.2, y: -0.55, z: -1.5 } as const;
const CANVAS_W = 1200;
const CANVAS_H = 200;

export function panelMesh(): Mesh {
  const { width: w, height: h, y, z } = PANEL;
  return {
    positions: new Float32Array([-w / 2, y + h / 2, z, w / 2, y + h / 2, z, -w / 2, y - h / 2, z, w / 2, y - h / 2, z]),
    uvs: new Float32Array([0, 0, 1, 0, 0, 1, 1, 1]),
    indices: new Uint16Array([0, 2, 1, 1, 2, 3]),
  };
}

/** The panel point a ray hits (u across 0..1, v down 0..1), or null when it misses. */
export function hitPanel(origin: { x: number; y: number; z: number }, dir: { x: number; y: number; z: number }): { u: number; v: number } | null {
  if (Math.abs(dir.z) < 1e-9) return null;
  const t = (PANEL.z - origin.z) / dir.z;
  if (t <= 0) return null;
  const u = (origin.x + t * dir.x) / PANEL.width + 0.5;
  const v = 0.5 - (origin.y + t * dir.y - PANEL.y) / PANEL.height;
  return u >= 0 && u <= 1 && v >= 0 && v <= 1 ? { u, v } : null;
}

/** Which button is at panel point u, and for the seek bar how far along (0..1). */
export function panelAction(u: number): { action: PanelAction; fraction: number } | null {
  const b = PANEL_BUTTONS.find((x) => u >= x.from && u <= x.to);
  return b ? { action: b.action, fraction: (u - b.from) / (b.to - b.from) } : null;
}

const LABELS: Record<Exclude<PanelAction, 'seek' | 'toggle'>, string> = { back: '−10 s', forward: '+10 s', recenter: 'Center', exit: 'Exit' };

export function makePanelCanvas(): HTMLCanvasElement {
  const c = document.createElement('canvas');
  c.width = CANVAS_W;
  c.height = CANVAS_H;
  return c;
}

/** Redraws the panel for the playing state and position (fraction of the duration). */
export function drawPanel(c: HTMLCanvasElement, playing: boolean, fraction: number, time: string): void {
  const g = c.getContext('2d');
  if (!g) return;
  g.fillStyle = 'rgba(20,22,28,1)';
  g.fillRect(0, 0, CANVAS_W, CANVAS_H);
  g.font = '600 44px system-ui, sans-serif';
  g.textAlign = 'center';
  g.textBaseline = 'middle';
  for (const b of PANEL_BUTTONS) {
    const x = b.from * CANVAS_W;
    const w = (b.to - b.from) * CANVAS_W;
    g.fillStyle = '#2d3340';
    g.fillRect(x, 30, w, CANVAS_H - 60);
    g.fillStyle = '#f2f4f8';
    if (b.action === 'seek') {
      g.fillStyle = '#4f8cff';
      g.fillRect(x, 30, w * Math.max(0, Math.min(1, fraction)), CANVAS_H - 60);
      g.fillStyle = '#f2f4f8';
      g.fillText(time, x + w / 2, CANVAS_H / 2);
    } else {
      g.fillText(b.action === 'toggle' ? (playing ? 'II' : '▶') : LABELS[b.action], x + w / 2, CANVAS_H / 2);
    }
  }
}
