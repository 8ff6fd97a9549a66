// What a Real-Debrid error means for the user, decided once per error kind: whose problem it is,
// whether and when to try again, and the sentence a person reads. Sync (the library status), the
// media pipeline (reasons on cards) and playback (/play answers) all derive their behaviour from
// this table, so the three cannot disagree (they once did: an IP block read "token missing or
// rejected" in the media reasons while the sync status named the IP).
import type { RdError, RdErrorKind } from './errors.ts';

/** Whose problem it is, i.e. who has to act. */
export type RdFault =
  | 'token' // the API token is missing or wrong: the user sets RD_API_TOKEN
  | 'account' // the account refuses (locked, not premium, IP not allowed): the user acts on real-debrid.com or the network
  | 'file' // this file is dead or unsupported on RD's side: nobody can fix it here
  | 'blocked' // RD blocks this file (flagged as infringing)
  | 'gone' // RD no longer knows the torrent or link (deleted on RD)
  | 'pacing' // RD asked us to slow down: wait what it says
  | 'traffic' // the traffic / fair-use limit is reached: wait hours
  | 'busy' // a passing problem (RD busy, timeout, network): try again soon
  | 'ours'; // RD calls our request malformed or the endpoint disabled: a debridsphere bug

export interface RdPolicy {
  fault: RdFault;
  /** soon: the same request may work in a moment; later: after a long wait; never: not until someone acts. */
  retry: 'soon' | 'later' | 'never';
  /** How long to wait before trying again when RD did not say (ms); null when retry is never. */
  waitMs: number | null;
  /** What the user is told (browser, players), as one sentence. */
  sentence: string;
}

const SOON_MS = 30_000;
const PACING_MS = 15_000;
const TRAFFIC_MS = 3600_000;

// One row per error kind (the kinds come from RD's error codes: realdebrid.md §1.5, errors.ts table).
export const RD_POLICY: Readonly<Record<RdErrorKind, RdPolicy>> = Object.freeze({
  auth: { fault: 'token', retry: 'never', waitMs: null, sentence: 'Real-Debrid rejected the API token (check RD_API_TOKEN).' },
  permission: { fault: 'account', retry: 'never', waitMs: null, sentence: 'Real-Debrid denied this account permission (locked or not activated?).' },
  not_premium: { fault: 'account', retry: 'never', waitMs: null, sentence: 'This needs a premium Real-Debrid account.' },
  ip_blocked: { fault: 'account', retry: 'never', waitMs: null, sentence: 'Real-Debrid does not allow this server’s IP address (VPN or data-centre IP?).' },
  dead: { fault: 'file', retry: 'never', waitMs: null, sentence: 'Real-Debrid reports this file as unavailable (dead link).' },
  blocked: { fault: 'blocked', retry: 'never', waitMs: null, sentence: 'Real-Debrid blocks this file.' },
  not_found: { fault: 'gone', retry: 'never', waitMs: null, sentence: 'Real-Debrid no longer knows this torrent or link.' },
  throttled: { fault: 'pacing', retry: 'soon', waitMs: PACING_MS, sentence: 'Real-Debrid asked us to slow down; try again shortly.' },
  cooldown: { fault: 'pacing', retry: 'soon', waitMs: PACING_MS, sentence: 'Real-Debrid asked us to slow down; try again shortly.' },
  fair_use: { fault: 'traffic', retry: 'later', waitMs: TRAFFIC_MS, sentence: 'Real-Debrid traffic limit reached; try again later.' },
  transient: { fault: 'busy', retry: 'soon', waitMs: SOON_MS, sentence: 'Real-Debrid did not answer usefully just now; try again in a moment.' },
  timeout: { fault: 'busy', retry: 'soon', waitMs: SOON_MS, sentence: 'Real-Debrid did not answer in time; try again in a moment.' },
  network: { fault: 'busy', retry: 'soon', waitMs: SOON_MS, sentence: 'Real-Debrid could not be reached; try again in a moment.' },
  // Too many active downloads: the account is busy, the file is fine.
  unavailable: { fault: 'busy', retry: 'soon', waitMs: SOON_MS, sentence: 'Real-Debrid is busy with this account’s other downloads; try again in a moment.' },
  bad_request: { fault: 'ours', retry: 'never', waitMs: null, sentence: 'Real-Debrid refused the request as malformed (a debridsphere bug; see the server log).' },
  disabled: { fault: 'ours', retry: 'never', waitMs: null, sentence: 'Real-Debrid has disabled this API endpoint.' },
});

/** The policy row of an error. */
export function rdPolicy(err: RdError): RdPolicy {
  return RD_POLICY[err.kind];
}

/** How long to wait before trying again: what RD said, else the row's default; null when retrying will not help. */
export function retryAfterOf(err: RdError): number | null {
  const p = rdPolicy(err);
  return p.retry === 'never' ? null : (err.retryAfterMs ?? p.waitMs);
}
