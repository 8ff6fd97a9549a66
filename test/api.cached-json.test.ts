// Chunked gzip bodies: what a player receives must be byte-for-byte the JSON a plain
// JSON.stringify would give, and a change to one item must re-format only its own chunk.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { GzipJsonArray, GzipJsonLists, type CachedBody } from '../src/api/cached-json.ts';

interface Item {
  id: number;
  name: string;
}
const items = (n: number, from = 0): Item[] => Array.from({ length: n }, (_, i) => ({ id: from + i, name: `Video "${from + i}" – ünïcode` }));
const text = (b: CachedBody): string => (b.body ?? gunzipSync(b.gzip!)).toString('utf8');

test('GzipJsonArray: the body is exactly the JSON; one changed item re-formats one chunk and changes the ETag', () => {
  const list = items(1000);
  const array = new GzipJsonArray<Item>(100);
  let formatted = 0;
  const format = (x: Item) => (formatted++, { id: x.id, title: x.name });
  const first = array.build('{"scanData":', list, '}', format);
  assert.equal(text(first), JSON.stringify({ scanData: list.map((x) => ({ id: x.id, title: x.name })) }));
  assert.equal(formatted, 1000);
  const again = array.build('{"scanData":', list, '}', format);
  assert.equal(formatted, 1000, 'nothing changed, nothing formatted');
  assert.equal(again.etag, first.etag);
  const changed = [...list];
  changed[555] = { id: 555, name: 'renamed' };
  const third = array.build('{"scanData":', changed, '}', format);
  assert.equal(formatted, 1100, 'only the chunk holding item 555');
  assert.notEqual(third.etag, first.etag);
  assert.equal(text(third), JSON.stringify({ scanData: changed.map((x) => ({ id: x.id, title: x.name })) }));
});

test('GzipJsonLists: several lists in one body, each re-used on its own; empty and vanished lists', () => {
  const lists = new GzipJsonLists<Item>();
  let formatted = 0;
  const format = (x: Item) => (formatted++, x);
  const a = items(600);
  const b = items(300, 600);
  const scenes = (parts: Array<[string, Item[]]>) =>
    parts.map(([name, list]) => ({ key: name, head: `{"name":${JSON.stringify(name)},"list":`, items: list, tail: '}' }));
  const expected = (parts: Array<[string, Item[]]>) => JSON.stringify({ scenes: parts.map(([name, list]) => ({ name, list })), authorized: '1' });
  const parts: Array<[string, Item[]]> = [['Favorites', []], ['Recently added', a], ['Older', b]];
  const first = lists.build('{"scenes":[', scenes(parts), '],"authorized":"1"}', format);
  assert.equal(text(first), expected(parts));
  assert.equal(formatted, 900);
  const b2 = [...b];
  b2[0] = { id: 600, name: 'changed' };
  const next: Array<[string, Item[]]> = [['Recently added', a], ['Older', b2]];
  const second = lists.build('{"scenes":[', scenes(next), '],"authorized":"1"}', format);
  assert.equal(text(second), expected(next), 'the first list now has no leading comma');
  assert.equal(formatted, 900 + 256, 'one chunk of "Older" re-formatted, "Recently added" re-used');
  assert.equal(text(lists.build('{"scenes":[', [], '],"authorized":"1"}', format)), '{"scenes":[],"authorized":"1"}');
});
