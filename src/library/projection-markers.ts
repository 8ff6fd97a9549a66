// The marker table: every token in a file or torrent name that says how to show a video in the
// headset (projection, stereo layout, FOV, lens). One table (PROJECTION_MARKERS); adding a lens
// is one row. projection-names.ts reads names with it, projection.ts turns readings into guesses. Tokens are compared
// whole (split on . _ - [ ] ( ) + , ° and spaces), so OUTDOOR is never "OU", TBD never "TB",
// 2DAYS never "2D" (the ancestor's substring bugs, debrid-scout.md §10.1 item 4), and a name
// without any marker is a flat video, not 180° VR.
//
// What the markers mean (heresphere-protocol.md §5.5-5.6, DeoVR/XBVR/Stash conventions):
//
// | marker(s)                         | projection          | stereo default | fov | lens    |
// |-----------------------------------|---------------------|----------------|-----|---------|
// | 180, 180x180, VR180               | equirectangular     | sbs (1)        | 180 | Linear  |
// | 360, VR360                        | equirectangular360  | mono (2)       | 360 | Linear  |
// | fisheye, F180, 180F               | fisheye             | sbs            | 180 | Linear  |
// | fisheye190, RF52 (Canon RF5.2)    | fisheye (+rf52)     | sbs            | 190 | Linear  |
// | MKX200                            | fisheye             | sbs            | 200 | MKX200  |
// | MKX220 / VRCA220                  | fisheye             | sbs            | 220 | MKX220 / VRCA220 |
// | EAC, EAC360, 360EAC               | equiangularCubemap  | sbs (§5.6)     | 360 | Linear  |
// | SBS, LR, 3DH / TB, OU, 3DV, OverUnder | stereo only: 180° equirect unless another marker says otherwise |
// | RL / BT                           | sbs / tb with the eyes swapped                          |
// | 3D, HSBS, Half-SBS, HOU, Half-OU  | a 3D *movie*: flat screen (perspective) + that layout (3) |
// | SBS/TB next to BluRay, WEB-DL...  | also a 3D movie (3)                                      |
// | 2D, FLAT                          | perspective, mono                                       |
// | MVC, .mk3d (Blu-ray 3D remuxes)   | flat mono: players decode one 2D view (mk3d: unless a layout word) |
// | Kodi 3D: 3d.tab, htab, sbs3d      | 3D movie, TB / TB / SBS (Jellyfin Format3DTests)        |
// | MONO, alpha, stereo               | modifiers: change a VR guess, never make one (4)        |
// | VR, Oculus, GearVR, PSVR, Quest2, 5K-8K | hints: VR (180° SBS) when no name has a marker;  |
// |                                   | a film-shaped frame (16:9...) overrules them later (5)  |
//
// (1) Commercial VR releases are stereo; "_180" alone is 180° SBS unless MONO says otherwise.
// (2) DeoVR's convention: "_360" alone is monoscopic, "_360_TB" stereo.
// (3) "Avatar.2009.3D.HSBS.1080p" is a 3D film shown on a virtual screen, not VR; but a VR
//     hint in the same name wins ("Scene.3D.VR" is VR), and so does any projection marker.
// (4) "Alpha.2018.1080p" and "Mono" are ordinary title words.
// (5) "VR.Troopers.S01E01.DVDRip" is a TV show: disc/broadcast/web source tags and episode
//     codes (FLAT_EVIDENCE) beat hints and the bare numbers 180/360 ("360.2011.1080p.BluRay"
//     is a film called 360), but never an explicit marker.
// VR180 follows Google's format (equirectangular), unlike Stash's fisheye mapping.
//
// Several names: [main file, torrent name, other files]. The first name carrying a marker
// decides; what it leaves open (e.g. a file with only "LR") is filled from later names (a
// torrent "Pack MKX200"), so folder tokens are not thrown away (§10.1 item 5).
//
// Read by projection-names.ts beyond single tokens: glued markers ("180mono", "VR180LR"), a
// fisheye word with its FOV ("fisheye200", "F220", "Fisheye 220"), "/" separators ("H/OU"),
// colour standards that are not markers ("BT.2020"), and bare numbers or "3D" before a film's
// year, which are title words ("360 (2011)", "Piranha.3D.2010.1080p.BluRay").
import type { Lens, ProjectionFamily, Stereo } from './model.ts';

type Family = ProjectionFamily;

export interface MarkerEffect {
  family?: Family;
  fov?: number;
  lens?: Lens;
  stereo?: Stereo;
  eyeSwapped?: boolean;
  alpha?: boolean;
  rf52?: boolean;
  /** A 3D-movie marker: stereo without a VR projection means a flat screen. */
  flat3d?: boolean;
  /** "Stereo" glued to a projection word: the family's usual stereo layout (360 -> TB, else SBS). */
  stereoAny?: boolean;
  /** Blu-ray 3D (MVC, .mk3d): players decode one 2D view; `mono` forces it over any layout word. */
  decodes2d?: 'mono' | 'unless-layout';
}

export interface ProjectionMarker {
  /** Lower-case tokens; "half-sbs" also matches the token sequence "half", "sbs". */
  tokens: readonly string[];
  /** marker: decides; modifier: adjusts a VR guess; hint: VR only when nothing else says. */
  role: 'marker' | 'modifier' | 'hint';
  effect: MarkerEffect;
  /** Bare numbers (180, 360) lose against FLAT_EVIDENCE. */
  bare?: boolean;
  /** Specific families (fisheye, lenses, EAC) beat generic 180/360 in the same name. */
  specific?: boolean;
  /** Release tag when the token is cut from a title; absent = the token is a normal word. */
  tag?: string;
}

export const m = (tokens: string[], effect: MarkerEffect, extra: Partial<ProjectionMarker> = {}): ProjectionMarker => ({
  tokens,
  role: 'marker',
  effect,
  ...extra,
});

export const PROJECTION_MARKERS: ReadonlyArray<ProjectionMarker> = [
  m(['180'], { family: '180' }, { bare: true, tag: '180' }),
  m(['180x180', '180deg', 'vr180'], { family: '180' }, { tag: '180' }),
  m(['360'], { family: '360' }, { bare: true, tag: '360' }),
  m(['360x180', '360deg', 'vr360'], { family: '360' }, { tag: '360' }),
  m(['fisheye', 'fisheye180', 'f180', '180f'], { family: 'fisheye', fov: 180 }, { specific: true, tag: 'Fisheye' }),
  m(['fisheye190'], { family: 'fisheye', fov: 190 }, { specific: true, tag: 'Fisheye190' }),
  m(['rf52'], { family: 'fisheye', fov: 190, rf52: true }, { specific: true, tag: 'RF52' }),
  m(['mkx200'], { family: 'fisheye', fov: 200, lens: 'MKX200' }, { specific: true, tag: 'MKX200' }),
  m(['mkx220'], { family: 'fisheye', fov: 220, lens: 'MKX220' }, { specific: true, tag: 'MKX220' }),
  m(['vrca220'], { family: 'fisheye', fov: 220, lens: 'VRCA220' }, { specific: true, tag: 'VRCA220' }),
  m(['eac', 'eac360', '360eac'], { family: 'eac' }, { specific: true, tag: 'EAC' }),
  m(['cubemap'], { family: 'cubemap' }, { specific: true, tag: 'Cubemap' }),
  m(['sbs', 'lr', '3dh'], { stereo: 'sbs' }, { tag: 'SBS' }),
  m(['rl'], { stereo: 'sbs', eyeSwapped: true }, { tag: 'RL' }),
  m(['tb', 'ou', '3dv', 'over-under'], { stereo: 'tb' }, { tag: 'TB' }),
  m(['bt'], { stereo: 'tb', eyeSwapped: true }, { tag: 'BT' }),
  m(['hsbs', 'h-sbs', 'half-sbs', 'fsbs', 'full-sbs'], { stereo: 'sbs', flat3d: true }, { tag: 'SBS' }),
  m(['hou', 'h-ou', 'half-ou', 'htb', 'h-tb', 'half-tb', 'full-ou', 'htab', 'half-tab', '3d-tab'], { stereo: 'tb', flat3d: true }, { tag: 'TB' }),
  m(['sbs3d', '3d-sbs'], { stereo: 'sbs', flat3d: true }, { tag: 'SBS' }),
  m(['3d'], { flat3d: true }, { tag: '3D' }),
  // Blu-ray 3D remuxes: the MVC second view is not decoded by players, so they show one 2D view.
  m(['mvc'], { family: 'flat', decodes2d: 'mono' }, { specific: true, tag: 'MVC' }),
  m(['mk3d'], { family: 'flat', decodes2d: 'unless-layout' }, { specific: true }),
  m(['2d', 'flat'], { family: 'flat', stereo: 'mono' }),
  { tokens: ['mono'], role: 'modifier', effect: { stereo: 'mono' } },
  { tokens: ['alpha'], role: 'modifier', effect: { alpha: true } },
  { tokens: ['stereo'], role: 'modifier', effect: { stereoAny: true } },
  { tokens: ['vr', 'vrporn'], role: 'hint', effect: {} },
  { tokens: ['oculus', 'oculusrift'], role: 'hint', effect: {}, tag: 'Oculus' },
  { tokens: ['gearvr'], role: 'hint', effect: {}, tag: 'GearVR' },
  { tokens: ['psvr'], role: 'hint', effect: {}, tag: 'PSVR' },
  { tokens: ['quest2', 'quest3', 'questpro'], role: 'hint', effect: {}, tag: 'Quest' },
  { tokens: ['pico4'], role: 'hint', effect: {}, tag: 'Pico' },
  { tokens: ['5k', '6k', '7k', '8k'], role: 'hint', effect: {} },
];

/** Tokens that say "ordinary film or TV release" (see note 5 above). */
export const FLAT_EVIDENCE: ReadonlySet<string> = new Set([
  'bluray', 'bdrip', 'brrip', 'bdremux', 'remux', 'webdl', 'webrip', 'web', 'hdtv', 'pdtv',
  'dvdrip', 'dvd', 'dvdscr', 'hdrip', 'amzn', 'nf', 'dsnp', 'hmax', 'atvp', 'hulu', 'pcok',
]);
export const EPISODE = /^s\d{1,2}e\d{1,3}$/;


export const SINGLE = new Map<string, ProjectionMarker>();
export const SEQUENCES = new Map<string, ProjectionMarker>(); // "half sbs" -> row
for (const row of PROJECTION_MARKERS) {
  for (const t of row.tokens) {
    if (t.includes('-')) {
      SINGLE.set(t.replaceAll('-', ''), row);
      SEQUENCES.set(t.replaceAll('-', ' '), row);
    } else SINGLE.set(t, row);
  }
}
/** Flat evidence written as two tokens ("Blu-ray", "WEB-DL"). */
export const FLAT_EVIDENCE_PAIRS: ReadonlySet<string> = new Set(['blu ray', 'web dl']);
