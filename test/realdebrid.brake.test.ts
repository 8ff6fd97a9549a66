// The account brake and daily cap (issue 12 item 5) with the real client, scheduler and HTTP layer
// against the fake RD on one manual clock: fair-use 36, traffic 23 and IP-blocked 22 stop EVERY
// background unrestrict for an hour (queued ones fail at once, nothing more reaches RD) while a
// play is still tried once; the daily cap refuses background unrestricts past the setting and
// survives a restart; background unrestricts never come more than 3 in any 10 s.
import { test, type TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { AccountBrake, BRAKE_MS, DAY_MS, RdClient, RdCooldownError, RdFairUseError, RdIpBlockedError, RdScheduler } from '../src/realdebrid/index.ts';
import { generateLibrary, startFakeRd, type FakeRd } from './fake-rd/index.ts';
import { ManualClock, drive, quietWire } from './realdebrid.support.ts';

async function rig(t: TestContext, brakeOpts: ConstructorParameters<typeof AccountBrake>[0] = {}) {
  const clock = new ManualClock();
  const fake = await startFakeRd({ now: clock.now, setTimer: clock.setTimer, torrents: generateLibrary(12, { seed: 31 }), rateLimit: false });
  const brake = new AccountBrake({ now: clock.now, ...brakeOpts });
  const scheduler = new RdScheduler({ now: clock.now, setTimer: clock.setTimer, clearTimer: clock.clearTimer, brake, backgroundUnrestrictsPer10s: 3, callsPer10s: 20 });
  const rd = new RdClient({ baseUrl: fake.apiUrl, token: fake.token, scheduler, random: () => 0.5 });
  t.after(async () => {
    scheduler.close();
    rd.close();
    await fake.close();
  });
  const run = <T>(work: Promise<T>): Promise<T> => drive(clock, quietWire(scheduler, fake), work);
  const links: string[] = [];
  for (const spec of fake.torrents()) links.push(...(await run(rd.torrentInfo(spec.id!, 'background'))).links);
  fake.clearLog();
  return { clock, fake, brake, scheduler, rd, run, links };
}

const unrestricts = (fake: FakeRd) => fake.requests.filter((r) => r.route === 'unrestrict');

for (const [code, kind] of [
  [36, RdFairUseError],
  [23, RdFairUseError],
] as const) {
  test(`code ${code} after 2 unrestricts: every queued and later background unrestrict stops for 60 min; a play is tried once`, async (t) => {
    const { clock, fake, brake, rd, run, links } = await rig(t);
    fake.setFault({ fairUseAfterUnrestricts: { after: 2, code } });
    const results = await run(Promise.allSettled(links.slice(0, 8).map((l) => rd.unrestrictLink(l, 'background'))));
    assert.equal(unrestricts(fake).length, 3, 'two served, one refused, nothing more sent');
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 2);
    const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
    assert.equal(refused.filter((e) => e instanceof kind).length, 1);
    assert.equal(refused.filter((e) => e instanceof RdCooldownError).length, 5, 'the queued ones fail at once');
    assert.equal(brake.state().braked, true);
    assert.equal(brake.state().brakeCode, code);
    assert.match(brake.describe() ?? '', /paused until/);

    // Later background work is refused without a call; a play is still tried, once.
    await assert.rejects(rd.unrestrictLink(links[9]!, 'background'), RdCooldownError);
    assert.equal(unrestricts(fake).length, 3);
    await assert.rejects(run(rd.unrestrictLink(links[9]!, 'interactive')), kind);
    assert.equal(unrestricts(fake).length, 4, 'the play reached RD exactly once');

    await clock.advance(BRAKE_MS - 120_000);
    await assert.rejects(rd.unrestrictLink(links[9]!, 'background'), RdCooldownError, 'the play extended the brake');
    await clock.advance(BRAKE_MS);
    fake.setFault({ fairUseAfterUnrestricts: null });
    assert.ok((await run(rd.unrestrictLink(links[9]!, 'background'))).download);
  });
}

test('an IP-blocked answer (22) brakes background unrestricts too', async (t) => {
  const { fake, brake, rd, run, links } = await rig(t);
  fake.setFault({ ipNotAllowed: '203.0.113.7' });
  await assert.rejects(run(rd.unrestrictLink(links[0]!, 'background')), RdIpBlockedError);
  assert.equal(brake.state().braked, true);
  await assert.rejects(rd.unrestrictLink(links[1]!, 'background'), RdCooldownError);
  assert.equal(unrestricts(fake).length, 1);
});

test('the daily cap: past it background unrestricts are refused with the setting named, for 24 h, across a restart', async (t) => {
  let saved: string | null = null;
  const persist = { load: () => saved, save: (d: string) => void (saved = d) };
  const { clock, fake, rd, run, links } = await rig(t, { dailyCap: 4, persist });
  const results = await run(Promise.allSettled(links.slice(0, 7).map((l) => rd.unrestrictLink(l, 'background'))));
  assert.equal(results.filter((r) => r.status === 'fulfilled').length, 4);
  assert.equal(unrestricts(fake).length, 4);
  const refusal = results.find((r) => r.status === 'rejected') as PromiseRejectedResult;
  assert.match(String(refusal.reason.message), /RD_BACKGROUND_UNRESTRICTS_PER_DAY/);
  // Plays never count and are never capped.
  assert.ok((await run(rd.unrestrictLink(links[8]!, 'interactive'))).download);

  const restarted = new AccountBrake({ now: clock.now, dailyCap: 4, persist });
  assert.equal(restarted.state().backgroundUnrestrictsToday, 4);
  assert.equal(restarted.allowsBackgroundUnrestrict(), false);
  assert.equal(restarted.state().capReached, true);
  await clock.advance(DAY_MS);
  assert.equal(restarted.allowsBackgroundUnrestrict(), true);
  assert.ok((await run(rd.unrestrictLink(links[9]!, 'background'))).download);
});

test('background unrestricts never come more than 3 in any 10 s; all calls never more than 20 in any 10 s', async (t) => {
  const { fake, rd, run, links } = await rig(t);
  const most = (times: number[]) => Math.max(...times.map((t0) => times.filter((x) => x >= t0 && x < t0 + 10_000).length));
  await run(Promise.all(links.slice(0, 12).map((l) => rd.unrestrictLink(l, 'background'))));
  assert.equal(unrestricts(fake).length, 12);
  assert.equal(most(unrestricts(fake).map((r) => r.at)), 3, 'background unrestricts: 3 in any 10 s at most');
  fake.clearLog();
  await run(Promise.all(Array.from({ length: 45 }, (_, i) => rd.torrentInfo(fake.torrents()[i % 12]!.id!, 'foreground'))));
  assert.equal(fake.requests.length, 45);
  // 20 in any 10 s at most; calls nobody waits for leave two of those starts for a person's open and play.
  assert.equal(most(fake.requests.map((r) => r.at)), 18, 'foreground calls: 18 in any 10 s, two starts kept for a person');
});
