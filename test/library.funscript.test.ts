// The funscript rule (issue 17) as a pure function: figures and heatmap colours of a script of
// known shape (colours worked out by hand from XBVR's stops, not by calling the code under test),
// and a coded reason, never a throw, for every broken file.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { analyseFunscript, decodeHeat, heatmapRow, HEATMAP_SEGMENTS, intensityOf, speedColour, STILL_COLOUR } from '../src/library/funscript.ts';
import { FUNSCRIPT_VARIANTS, RAMP_FIGURES } from './fake-rd/funscripts.ts';

// Blends by hand: 100 pos/s = 5/6 of the way DodgerBlue → ForestGreen, 200 = 2/3 ForestGreen →
// Gold, 400 = 1/3 Crimson → Purple.
const SLOW = [33, 140, 71];
const MEDIUM = [181, 190, 11];
const FAST = [189, 13, 83];

test('a three-phase ramp gives the expected figures and colours at known positions', () => {
  const f = analyseFunscript(FUNSCRIPT_VARIANTS.ramp());
  assert.ok(f.ok, JSON.stringify(f));
  assert.deepEqual({ actions: f.actions, lengthMs: f.lengthMs, avgSpeed: f.avgSpeed, maxSpeed: f.maxSpeed }, RAMP_FIGURES);
  assert.equal(intensityOf(f.avgSpeed), 'medium');
  assert.equal(f.heat.length, HEATMAP_SEGMENTS);
  const speeds = decodeHeat(f.heat);
  assert.deepEqual([speeds[5], speeds[50], speeds[95]], [100, 200, 400]);
  const W = 600;
  const row = heatmapRow(f.heat, W);
  const px = (x: number) => [...row.subarray(x * 3, x * 3 + 3)];
  // Middle of each phase (away from the segments where phases meet).
  assert.deepEqual(px(W / 6), SLOW);
  assert.deepEqual(px(W / 2), MEDIUM);
  assert.deepEqual(px((5 * W) / 6), FAST);
  assert.deepEqual(px(0), SLOW);
  assert.deepEqual(px(W - 1), FAST);
});

test('colour stops are XBVR’s; no motion is white; beyond the scale stays near-black', () => {
  assert.deepEqual(speedColour(0), STILL_COLOUR);
  assert.deepEqual(speedColour(120), [0x22, 0x8b, 0x22]);
  assert.deepEqual(speedColour(240), [0xff, 0xd7, 0x00]);
  assert.deepEqual(speedColour(360), [0xdc, 0x14, 0x3c]);
  assert.deepEqual(speedColour(480), [0x80, 0x00, 0x80]);
  assert.deepEqual(speedColour(5000), [0x0f, 0x00, 0x1e]);
  assert.deepEqual(speedColour(1e-9), [0x1e, 0x90, 0xff]);
});

test('out-of-order actions, duplicates and a BOM are read like the sorted file', () => {
  const actions = JSON.parse(FUNSCRIPT_VARIANTS.ramp()).actions as Array<{ at: number; pos: number }>;
  const shuffled = [...actions].reverse();
  shuffled.push({ ...actions[10]! });
  const f = analyseFunscript(`\ufeff${JSON.stringify({ actions: shuffled })}`);
  const g = analyseFunscript(FUNSCRIPT_VARIANTS.ramp());
  assert.ok(f.ok && g.ok);
  assert.equal(f.heat, g.heat);
  assert.equal(f.avgSpeed, g.avgSpeed);
});

test('broken scripts give a coded reason and no heatmap', () => {
  const cases: Array<[string, string]> = [
    [FUNSCRIPT_VARIANTS.notJson(), 'not-json'],
    [FUNSCRIPT_VARIANTS.noActions(), 'no-actions'],
    [FUNSCRIPT_VARIANTS.empty(), 'empty'],
    [FUNSCRIPT_VARIANTS.huge(), 'too-large'],
    ['null', 'no-actions'],
    ['[]', 'no-actions'],
    [JSON.stringify({ actions: [{ at: 'soon', pos: 5 }] }), 'bad-action'],
    [JSON.stringify({ actions: [{ at: 0, pos: 50 }, { at: 1000, pos: 50 }] }), 'no-motion'],
    [JSON.stringify({ actions: [{ at: 0, pos: 50 }] }), 'no-motion'],
  ];
  for (const [text, code] of cases) {
    const f = analyseFunscript(text, Buffer.byteLength(text));
    assert.equal(f.ok, false, code);
    assert.equal(!f.ok && f.code, code);
    assert.ok(!f.ok && f.reason.length > 10);
  }
});
