// Favorite / rating / watched changes: applied on screen at once, sent to the server (the same
// store HereSphere writes to), and rolled back with a toast if the server says no. Only the
// newest change per video may overwrite the local copy with the server's answer.
import { updateVideo, type CompactVideo, type UserPatch } from './api.ts';
import { toast } from './toast.ts';

type Field = keyof UserPatch;
const FIELDS: readonly Field[] = ['favorite', 'rating', 'watched'];
const WORDS: Record<Field, string> = { favorite: 'favorite', rating: 'rating', watched: 'watched state' };

export function createActions(find: (id: string) => CompactVideo | undefined, repaint: (v: CompactVideo) => void) {
  const latest = new Map<string, number>();
  let seq = 0;

  return function mutate(id: string, patch: UserPatch): void {
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
    updateVideo(id, patch).then(
      (server) => {
        if (latest.get(id) !== mine) return;
        v.favorite = server.favorite;
        v.rating = server.rating;
        v.watched = server.watched;
        v.playCount = server.playCount;
        v.lastPlayedAt = server.lastPlayedAt;
        repaint(v);
      },
      (err: Error) => {
        // undo only what is still showing this change (a newer click wins)
        for (const k of keys) if (v[k] === patch[k]) (v as unknown as Record<Field, unknown>)[k] = before[k];
        repaint(v);
        toast(`Could not save the ${keys.map((k) => WORDS[k]).join(' and ')} of “${v.title}”: ${err.message}`, 'error');
      },
    );
  };
}
