// Favorite / rating / watched changes: applied on screen at once, sent to the server (the same
// store HereSphere writes to), and rolled back with a toast if the server says no. Only the
// newest change per video may overwrite the local copy with the server's answer.
import { updateVideo, type CompactVideo, type UserPatch } from './api.ts';
import { toast } from './toast.ts';

type Field = keyof UserPatch;
const FIELDS: readonly Field[] = ['favorite', 'rating', 'watched'];
const WORDS: Record<Field, string> = { favorite: 'favorite', rating: 'rating', watched: 'watched state' };

/** The fields a person's change and the server's answer to it decide. */
const OWN: ReadonlyArray<keyof CompactVideo> = ['favorite', 'rating', 'watched', 'playCount', 'lastPlayedAt'];

/** Saves a person's change (see createActions). */
export interface Mutate {
  (id: string, patch: UserPatch): void;
  /**
   * News of videos from a request sent at `sentAt` (performance.now()): for a video the person
   * changed whose save was not answered before that request left, the news may predate the save
   * (an /api/changes answer made before it landed), so what the page shows of those fields stays.
   */
  keepOwn(news: CompactVideo, shown: CompactVideo | undefined, sentAt: number): CompactVideo;
}

export function createActions(find: (id: string) => CompactVideo | undefined, repaint: (v: CompactVideo) => void): Mutate {
  const latest = new Map<string, number>();
  /** When each video's newest save was answered; Infinity while it is on its way. */
  const settledAt = new Map<string, number>();
  let seq = 0;

  const keepOwn = (news: CompactVideo, shown: CompactVideo | undefined, sentAt: number): CompactVideo => {
    if (!shown || (settledAt.get(news.id) ?? -Infinity) <= sentAt) return news;
    for (const k of OWN) (news as unknown as Record<string, unknown>)[k] = shown[k];
    return news;
  };

  const mutate = (id: string, patch: UserPatch): void => {
    const v = find(id);
    if (!v) return;
    const keys = FIELDS.filter((k) => patch[k] !== undefined);
    if (!keys.length) return;
    const before: UserPatch = {};
    for (const k of keys) (before as Record<Field, unknown>)[k] = v[k];
    Object.assign(v, patch);
    repaint(v);
    const mine = ++seq;
    latest.set(id, mine);
    settledAt.set(id, Infinity);
    const settled = (): boolean => {
      if (latest.get(id) !== mine) return false;
      settledAt.set(id, performance.now());
      return true;
    };
    updateVideo(id, patch).then(
      // News from the server may have replaced the video's object meanwhile: answer the one shown.
      (server) => {
        if (!settled()) return;
        const cur = find(id) ?? v;
        for (const k of OWN) (cur as unknown as Record<string, unknown>)[k] = server[k];
        repaint(cur);
      },
      (err: Error) => {
        settled();
        const cur = find(id) ?? v;
        // undo only what is still showing this change (a newer click wins)
        for (const k of keys) if (cur[k] === patch[k]) (cur as unknown as Record<Field, unknown>)[k] = before[k];
        repaint(cur);
        toast(`Could not save the ${keys.map((k) => WORDS[k]).join(' and ')} of “${cur.title}”: ${err.message}`, 'error');
      },
    );
  };
  return Object.assign(mutate, { keepOwn });
}
