// The library both saved-view tests (views.api, views.browser) run on: names that sort differently
// by case and by number ("Video 9" before "Video 10"), every projection the filters offer, and
// added dates and sizes that make each sort order distinct.
import type { FakeTorrentSpec } from '../fake-rd/index.ts';

const DAY = 86_400_000;
const ago = (d: number) => new Date(Date.now() - d * DAY).toISOString();

export function viewsLibrary(): FakeTorrentSpec[] {
  const one = (name: string, days: number, bytes: number): FakeTorrentSpec => ({ filename: name, added: ago(days), files: [{ path: `/${name}`, bytes }] });
  return [
    one('Alpha.Beach.180.LR.mp4', 1, 3_000_000),
    one('beta.Garden.180.LR.mp4', 2, 5_000_000),
    one('Gamma.City.360.TB.mp4', 3, 4_000_000),
    one('Delta.Movie.2019.1080p.mkv', 4, 9_000_000),
    one('Epsilon.Room.180.MONO.mp4', 5, 1_000_000),
    one('Zeta.Beach.Walk.180.SBS.mp4', 40, 2_000_000),
    one('Video 10.180.LR.mp4', 41, 6_000_000),
    one('Video 9.180.LR.mp4', 42, 7_000_000),
  ];
}
