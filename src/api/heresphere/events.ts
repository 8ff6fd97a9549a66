// HereSphere playback events (heresphere-protocol.md §3): 0 open, 1 play, 2 pause, 3 close;
// `time` in milliseconds. Keeps the resume point, counts one play per open-to-close session and
// marks the video watched only when playback reached 90% of its duration. Sessions are keyed by
// video and client address (req.ip: forwarded only from a TRUST_PROXY proxy) and capped in number:
// the least recently used is dropped first, so no stream of new addresses can grow memory.
import type { Store } from '../../store/index.ts';
import type { Video } from '../../library/model.ts';

export const EVENT = { open: 0, play: 1, pause: 2, close: 3 } as const;
export const WATCHED_FRACTION = 0.9;
const SESSION_IDLE_MS = 12 * 3600_000;
/** Open play sessions kept at most (a household has a few headsets; ~0.45 KB each). */
export const MAX_SESSIONS = 1000;

interface Session {
  maxMs: number;
  lastAt: number;
}

export class PlaybackEvents {
  private sessions = new Map<string, Session>();

  constructor(
    private readonly store: Store,
    private readonly now: () => number = Date.now,
    private readonly maxSessions = MAX_SESSIONS,
  ) {}

  /** Play sessions tracked right now. */
  get size(): number {
    return this.sessions.size;
  }

  /** Starts (or restarts) a session, most recently used last; the least recently used goes beyond the cap. */
  private track(key: string, session: Session): void {
    this.sessions.delete(key);
    while (this.sessions.size >= this.maxSessions) this.sessions.delete(this.sessions.keys().next().value!);
    this.sessions.set(key, session);
  }

  /** Applies one event; returns true when stored user data changed. */
  handle(video: Video, client: string, event: number, rawTime: number): boolean {
    const key = `${video.id}\n${client}`;
    const at = new Date(this.now()).toISOString();
    const duration = video.durationMs;
    const time = Math.max(0, duration > 0 ? Math.min(rawTime, duration) : rawTime);
    this.expireIdle();
    const session = this.sessions.get(key);
    if (session) {
      session.maxMs = Math.max(session.maxMs, time);
      session.lastAt = this.now();
      this.track(key, session);
    }
    switch (event) {
      case EVENT.open:
        this.track(key, { maxMs: time, lastAt: this.now() });
        this.store.user.recordOpen(video.hash, at);
        return true;
      case EVENT.play:
        if (!session) this.track(key, { maxMs: time, lastAt: this.now() });
        this.store.user.recordPosition(video.hash, time, at);
        return true;
      case EVENT.pause:
        this.store.user.recordPosition(video.hash, time, at);
        return true;
      case EVENT.close: {
        const reached = Math.max(session?.maxMs ?? 0, time);
        const watched = duration > 0 && reached >= duration * WATCHED_FRACTION;
        // Finished videos restart from the beginning next time.
        this.store.user.recordClose(video.hash, watched ? 0 : time, session !== undefined, watched, at);
        this.sessions.delete(key);
        return true;
      }
      default:
        return false;
    }
  }

  private expireIdle(): void {
    if (this.sessions.size < 256) return;
    const cutoff = this.now() - SESSION_IDLE_MS;
    for (const [k, s] of this.sessions) if (s.lastAt < cutoff) this.sessions.delete(k);
  }
}
