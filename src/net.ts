// LAN addresses of this machine: what the user types into the headset. Loopback and link-local
// addresses are useless to a headset, so they come last (loopback only when nothing else exists).
// Also tells whether a listen address is loopback-only (the auth-off start-up warning).
import { isIPv4, isIPv6 } from 'node:net';
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
  // An IPv6 literal needs brackets in a URL (http://[::1]:5090/).
  const hosts = (opts.host === '0.0.0.0' || opts.host === '::' ? lanAddresses() : [opts.host]).map((h) => (isIPv6(h) ? `[${h}]` : h));
  const urls = hosts.map((h) => `http://${h}:${opts.port}${path}`);
  if (opts.https) urls.push(...hosts.map((h) => `https://${h}:${opts.https!.port}${path}`));
  return urls;
}

/**
 * Whether a listen address reaches this machine only: 127.0.0.0/8, ::1 (any spelling, bracketed
 * or not, IPv4-mapped loopback included) or localhost. Anything else (0.0.0.0, ::, a LAN address,
 * a host name) may be reachable from the network.
 */
export function isLoopbackHost(host: string): boolean {
  let h = host.trim().toLowerCase();
  if (h.startsWith('[') && h.endsWith(']')) h = h.slice(1, -1);
  if (h === 'localhost' || h === 'localhost.') return true;
  if (isIPv4(h)) return h.startsWith('127.');
  if (!isIPv6(h)) return false;
  const groups = expandIPv6(h);
  if (groups === '0000:0000:0000:0000:0000:0000:0000:0001') return true;
  return groups.startsWith('0000:0000:0000:0000:0000:ffff:7f'); // IPv4-mapped 127.x.x.x
}

/** The eight groups of an IPv6 address, zero-padded; a trailing dotted IPv4 becomes two groups. */
function expandIPv6(address: string): string {
  const h = address.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a: string, b: string, c: string, d: string) =>
    `${((Number(a) << 8) | Number(b)).toString(16)}:${((Number(c) << 8) | Number(d)).toString(16)}`);
  const [head = '', tail] = h.split('::') as [string, string | undefined];
  const a = head === '' ? [] : head.split(':');
  const b = tail === undefined || tail === '' ? [] : tail.split(':');
  const groups = tail === undefined ? a : [...a, ...Array.from({ length: 8 - a.length - b.length }, () => '0'), ...b];
  return groups.map((g) => g.padStart(4, '0')).join(':');
}
