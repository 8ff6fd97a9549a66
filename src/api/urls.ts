// Absolute URLs the headset can reach: PUBLIC_URL when set, else the request's own scheme and
// Host (honouring a reverse proxy's X-Forwarded-Proto / X-Forwarded-Host). Ids are the only
// variable parts of any URL we build, and they are URL-safe by construction; titles never appear.
import type { FastifyRequest } from 'fastify';

const HOST_RE = /^[A-Za-z0-9.\-]+(?::\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](?::\d{1,5})?$/;

function firstHeader(v: string | string[] | undefined): string | undefined {
  const s = Array.isArray(v) ? v[0] : v;
  return s?.split(',')[0]?.trim() || undefined;
}

export function baseUrl(req: FastifyRequest, publicUrl: string | null): string {
  if (publicUrl) return publicUrl;
  const fwdProto = firstHeader(req.headers['x-forwarded-proto'])?.toLowerCase();
  const proto = fwdProto === 'https' || fwdProto === 'http' ? fwdProto : req.protocol;
  const fwdHost = firstHeader(req.headers['x-forwarded-host']);
  const host = [fwdHost, req.headers.host].find((h) => h !== undefined && HOST_RE.test(h)) ?? `127.0.0.1`;
  return `${proto}://${host}`;
}

/** Every asset URL of a video, relative to a base. One place, so players and the browser agree. */
export const paths = {
  heresphereVideo: (id: string) => `/heresphere/${id}`,
  heresphereEvent: (id: string) => `/heresphere/${id}/event`,
  deovrVideo: (id: string) => `/deovr/${id}`,
  thumb: (id: string) => `/thumb/${id}.jpg`,
  /** The thumbnail with the funscript heatmap drawn in (THUMB_HEATMAP, issue 17). */
  thumbHeat: (id: string) => `/thumb/heat/${id}.jpg`,
  preview: (id: string) => `/preview/${id}.mp4`,
  play: (id: string, fileId: number) => `/play/${id}/${fileId}`,
  hsp: (id: string) => `/hsp/${id}`,
};

/** The thumbnail players get: with the heatmap drawn in when asked and the video's funscript was read (issue 17). */
export function thumbPath(v: { id: string; script: { ok: boolean } | null }, heatmap: boolean): string {
  return heatmap && v.script?.ok ? paths.thumbHeat(v.id) : paths.thumb(v.id);
}
