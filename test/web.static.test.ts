// The static plugin on its own: the HTML shell carries the strict CSP, assets have the right
// types and caching, and nothing outside dist/web can be fetched through /assets/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import staticRoutes, { CSP, sendIndexHtml } from '../src/api/static.ts';
import { installHeaders } from '../src/api/headers.ts';

let app: FastifyInstance;
let dir: string;
let emptyDir: string;

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ds-web-static-'));
  emptyDir = mkdtempSync(join(tmpdir(), 'ds-web-empty-'));
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dir, 'app.js'), 'console.log(1)');
  writeFileSync(join(dir, 'styles.css'), 'body{}');
  writeFileSync(join(dir, 'icon.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>');
  writeFileSync(join(dir, 'secret.txt'), 'not served: unknown type');
  app = Fastify();
  installHeaders(app, []); // as the product app does: nosniff and the rest come from the one headers hook
  await app.register(staticRoutes, { distDir: dir });
  app.get('/', (_req, reply) => sendIndexHtml(reply, dir));
  app.get('/unbuilt', (_req, reply) => sendIndexHtml(reply, emptyDir));
  await app.ready();
});
after(async () => {
  await app.close();
  rmSync(dir, { recursive: true, force: true });
  rmSync(emptyDir, { recursive: true, force: true });
});

test('GET / is the HTML shell with the strict CSP and no caching', async () => {
  const res = await app.inject({ method: 'GET', url: '/' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^text\/html/);
  assert.equal(res.headers['content-security-policy'], CSP);
  for (const d of ["script-src 'self'", "style-src 'self'", "frame-ancestors 'none'", "base-uri 'none'", 'media-src \'self\' blob: https: http:']) {
    assert.ok(CSP.includes(d), d);
  }
  assert.ok(!/unsafe-inline|unsafe-eval/.test(CSP));
  assert.equal(res.headers['cache-control'], 'no-cache');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.match(res.body, /<title>x<\/title>/);
});

test('assets have their types; hashed URLs are immutable, others revalidate with an ETag', async () => {
  const js = await app.inject({ method: 'GET', url: '/assets/app.js?v=abc' });
  assert.equal(js.statusCode, 200);
  assert.match(String(js.headers['content-type']), /^text\/javascript/);
  assert.match(String(js.headers['cache-control']), /immutable/);
  const css = await app.inject({ method: 'GET', url: '/assets/styles.css' });
  assert.match(String(css.headers['content-type']), /^text\/css/);
  assert.equal(css.headers['cache-control'], 'no-cache');
  const etag = String(css.headers.etag);
  const again = await app.inject({ method: 'GET', url: '/assets/styles.css', headers: { 'if-none-match': etag } });
  assert.equal(again.statusCode, 304);
  const svg = await app.inject({ method: 'GET', url: '/assets/icon.svg' });
  assert.equal(svg.headers['content-type'], 'image/svg+xml');
  const head = await app.inject({ method: 'HEAD', url: '/assets/app.js' });
  assert.equal(head.statusCode, 200);
});

test('a rebuilt file is served fresh (the cache follows the file on disk)', async () => {
  writeFileSync(join(dir, 'app.js'), 'console.log("rebuilt")');
  const later = new Date(Date.now() + 5000);
  utimesSync(join(dir, 'app.js'), later, later);
  const res = await app.inject({ method: 'GET', url: '/assets/app.js' });
  assert.match(res.body, /rebuilt/);
});

test('nothing outside dist/web, no unknown types, no dot-files', async () => {
  for (const url of [
    '/assets/..%2Fpackage.json',
    '/assets/%2e%2e%2fsecret.txt',
    '/assets/secret.txt',
    '/assets/.hidden.js',
    '/assets/missing.js',
    '/assets/..%5C..%5Cpackage.json',
  ]) {
    const res = await app.inject({ method: 'GET', url });
    // Hostile names fail the params schema (400); safe names that are not there are 404.
    assert.ok(res.statusCode === 400 || res.statusCode === 404, `${url} -> ${res.statusCode}`);
    assert.ok(!res.body.includes('"name"') && !res.body.includes('debridsphere'), 'no file content leaks');
  }
});

test('an unbuilt front end answers 503 with instructions, not a crash', async () => {
  const res = await app.inject({ method: 'GET', url: '/unbuilt' });
  assert.equal(res.statusCode, 503);
  assert.match(res.body, /build:web/);
});
