// The image shown while a thumbnail is being made (or cannot be made): a dark 640x360 JPEG with a
// headset outline, generated once with ffmpeg and committed as assets/placeholder.jpg. Players and
// the browser always get a real image, never an empty body; if the asset is missing from a broken
// install, a tiny embedded dark JPEG stands in.
import { readFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';

const ASSET = fileURLToPath(new URL('../../assets/placeholder.jpg', import.meta.url));
/** 64x36 dark grey JPEG. */
const FALLBACK = '/9j/4AAQSkZJRgABAgAAAQABAAD//gAQTGF2YzU4LjQyLjEwMAD/2wBDAAgQEBMQExYWFhYWFhoYGhsbGxoaGhobGxsdHR0iIiIdHR0bGx0dICAiIiUmJSMjIiMmJigoKDAwLi44ODpFRVP/xABLAAEBAAAAAAAAAAAAAAAAAAAABwEBAAAAAAAAAAAAAAAAAAAAABABAAAAAAAAAAAAAAAAAAAAABEBAAAAAAAAAAAAAAAAAAAAAP/AABEIACQAQAMBIgACEQADEQD/2gAMAwEAAhEDEQA/AI2AAAAAAAAAAAAAAAAAAAAAAAD/2Q==';

let cached: { body: Buffer; etag: string } | undefined;

export function placeholderJpeg(): { body: Buffer; etag: string } {
  if (!cached) {
    let body: Buffer;
    try {
      body = readFileSync(ASSET);
    } catch {
      body = Buffer.from(FALLBACK, 'base64');
    }
    cached = { body, etag: `"ph-${createHash('sha1').update(body).digest('hex').slice(0, 12)}"` };
  }
  return cached;
}
