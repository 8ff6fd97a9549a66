// LAN addresses of this machine: what the user types into the headset. Loopback and link-local
// addresses are useless to a headset, so they come last (loopback only when nothing else exists).
import { networkInterfaces } from 'node:os';

export function lanAddresses(): string[] {
  const out: string[] = [];
  for (const list of Object.values(networkInterfaces())) {
    for (const a of list ?? []) {
      if (a.family === 'IPv4' && !a.internal && !a.address.startsWith('169.254.')) out.push(a.address);
    }
  }
  return out.length ? out : ['127.0.0.1'];
}

/** URLs for a path on every LAN address (or the one public URL when configured). */
export function connectUrls(path: string, opts: { publicUrl: string | null; host: string; port: number; https?: { port: number } | null }): string[] {
  if (opts.publicUrl) return [opts.publicUrl + path];
  const hosts = opts.host === '0.0.0.0' || opts.host === '::' ? lanAddresses() : [opts.host];
  const urls = hosts.map((h) => `http://${h}:${opts.port}${path}`);
  if (opts.https) urls.push(...hosts.map((h) => `https://${h}:${opts.https!.port}${path}`));
  return urls;
}
