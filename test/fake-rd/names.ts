// Word tables for generated libraries: invented studios, people, titles and the release-name
// markers (resolution, projection, stereo layout) real VR and flat releases carry.

export const STUDIOS = [
  'NovaVR', 'PeakStereo', 'LensCraftVR', 'DomeWorks', 'Parallax360', 'OrbitVR', 'DepthFieldVR',
  'HorizonXR', 'StereoLane', 'ImmersaStudio', 'WideAngleVR', 'TwinLensFilms', 'PanoramaHouse',
  'VistaVR', 'BinocularBay', 'FisheyeFactory', 'SphereCast', 'HalfDomeVR', 'Cinema180', 'ZenithVR',
] as const;

export const FIRST_NAMES = [
  'Ava', 'Mila', 'Nora', 'Lena', 'Iris', 'Clara', 'Maya', 'Elena', 'Zoe', 'Lucy', 'Ivy', 'Ruby',
  'Jade', 'Vera', 'Tessa', 'Nina', 'Sofia', 'Lara', 'Emma', 'Alina', 'Kira', 'Dana', 'Rhea', 'Skye',
] as const;

export const LAST_NAMES = [
  'Stone', 'Rivers', 'Vale', 'Frost', 'Wilde', 'Hart', 'Lane', 'Brooks', 'Moreau', 'Sky', 'Knight',
  'Winter', 'Gray', 'Rose', 'Bloom', 'Cruz', 'Reyes', 'Hale', 'Marsh', 'Quinn', 'Fox', 'Night',
] as const;

export const TITLE_WORDS = [
  'Sunset', 'Terrace', 'Morning', 'Glory', 'Golden', 'Hour', 'Mountain', 'Cabin', 'City', 'Lights',
  'Quiet', 'Garden', 'Walk', 'Ocean', 'Breeze', 'Rooftop', 'Dreams', 'Velvet', 'Midnight', 'Studio',
  'Session', 'Lakeside', 'Retreat', 'Summer', 'Rain', 'Window', 'Seat', 'Private', 'Tour', 'Sweet',
  'Escape', 'First', 'Date', 'Poolside', 'Story', 'Winter', 'Fireplace', 'Loft', 'Sunrise', 'Yoga',
] as const;

/** Resolution markers, weighted toward what VR releases actually use. */
export const VR_RESOLUTIONS = ['8K', '8K', '8K', '7K', '6K', '6K', '5K', '5K', '4K', '4K', '3840p', '2880p', '4096p', '5400p'] as const;

/** Projection / stereo markers as they appear in release names (parsers must read these). */
export const VR_PROJECTIONS = [
  '180.LR', '180_LR', 'LR_180', '180x180_3dh_LR', '180.SBS', '3dh', 'LR', 'SBS', '360.TB', '360_TB',
  'TB_360', '360', 'MKX200', 'MKX220', 'fisheye190', 'FISHEYE190', 'VRCA220', 'RF52', '3D.180', 'mono.360',
] as const;

export const VR_CODECS = ['', '', 'h265', 'HEVC', 'h264', 'x265'] as const;
export const VR_EXTS = ['mp4', 'mp4', 'mp4', 'mp4', 'mkv'] as const;

export const MOVIE_WORDS = [
  'Silent', 'River', 'Last', 'Summer', 'Glass', 'Empire', 'Northern', 'Line', 'Paper', 'Moon', 'Iron',
  'Harbor', 'Crimson', 'Tide', 'Hidden', 'Valley', 'Long', 'Night', 'Broken', 'Compass', 'Echo', 'Park',
  'Distant', 'Shores', 'Wild', 'Country', 'Black', 'Orchid', 'Electric', 'Dreams', 'Stolen', 'Hours',
] as const;

export const SHOW_NAMES = [
  'The.Lighthouse.Keepers', 'Northbound', 'Metro.Stories', 'Harbor.City', 'Deep.Field', 'The.Archive',
  'Blue.Ridge', 'Signal.Lost', 'Second.Shift', 'Dark.Orchard', 'The.Long.Road', 'Station.Nine',
] as const;

export const FLAT_RESOLUTIONS = ['720p', '1080p', '1080p', '1080p', '2160p'] as const;
export const MOVIE_SOURCES = ['BluRay', 'BluRay', 'WEB-DL', 'WEBRip', 'BDRip', 'REMUX'] as const;
export const TV_SOURCES = ['WEB-DL', 'WEB-DL', 'WEBRip', 'HDTV', 'AMZN.WEB-DL', 'NF.WEB-DL'] as const;
export const FLAT_CODECS = ['x264', 'x264', 'x265', 'H.264', 'HEVC', 'AV1'] as const;
export const GROUPS = ['GRP', 'NTb', 'FLUX', 'RARBG', 'SPARKS', 'playWEB', 'YTS', 'EDITH', 'NOGRP', 'CAKES'] as const;
export const FLAT_EXTS = ['mkv', 'mkv', 'mkv', 'mp4'] as const;
