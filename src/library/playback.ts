// Playback rules (heresphere-protocol.md §3), as pure functions: what one player event (0 open,
// 1 play, 2 pause, 3 close; `time` in milliseconds) means for the stored user data. The resume
// point is kept, one play is counted per open-to-close session, and a video is marked watched only
// when playback reached 90% of its duration. The session state lives with the writer
// (src/catalog/writer.ts), which stores what these functions decide.

export const EVENT = { open: 0, play: 1, pause: 2, close: 3 } as const;
export const WATCHED_FRACTION = 0.9;
/** A session not heard from for this long is forgotten (a headset that never sent "close"). */
export const SESSION_IDLE_MS = 12 * 3600_000;
/**
 * Sessions kept at most (a household has a few headsets; each is ~0.45 KB): sessions are keyed by
 * client address, and a stream of new addresses must not grow memory without bound.
 */
export const MAX_SESSIONS = 1000;

/** One player's viewing of one video, from open (or first play) to close. */
export interface PlaybackSession {
  /** Furthest position reached (ms). */
  maxMs: number;
  lastAt: number;
}

/** What an event asks the store to record. */
export type PlaybackRecord =
  | { kind: 'open'; at: string }
  | { kind: 'position'; positionMs: number; at: string }
  | { kind: 'close'; positionMs: number; countPlay: boolean; watched: boolean; at: string };

export interface PlaybackStep {
  /** The session after the event (null: none, or it just ended). */
  session: PlaybackSession | null;
  /** null for an event number this protocol does not know. */
  record: PlaybackRecord | null;
}

/** The effect of one event on a session (`nowMs` is the server's clock, `durationMs` 0 when unknown). */
export function playbackStep(previous: PlaybackSession | null, event: number, rawTimeMs: number, durationMs: number, nowMs: number): PlaybackStep {
  const at = new Date(nowMs).toISOString();
  const time = Math.max(0, durationMs > 0 ? Math.min(rawTimeMs, durationMs) : rawTimeMs);
  const session = previous ? { maxMs: Math.max(previous.maxMs, time), lastAt: nowMs } : null;
  switch (event) {
    case EVENT.open:
      return { session: { maxMs: time, lastAt: nowMs }, record: { kind: 'open', at } };
    case EVENT.play:
      return { session: session ?? { maxMs: time, lastAt: nowMs }, record: { kind: 'position', positionMs: time, at } };
    case EVENT.pause:
      return { session, record: { kind: 'position', positionMs: time, at } };
    case EVENT.close: {
      const reached = Math.max(session?.maxMs ?? 0, time);
      const watched = durationMs > 0 && reached >= durationMs * WATCHED_FRACTION;
      // Finished videos restart from the beginning next time.
      return { session: null, record: { kind: 'close', positionMs: watched ? 0 : time, countPlay: previous !== null, watched, at } };
    }
    default:
      return { session, record: null };
  }
}
