// The Real-Debrid room's public face: import from here, not from the files inside.
export * from './errors.ts';
export * from './policy.ts';
export * from './scheduler.ts';
export * from './brake.ts';
export { RdHttp, BLOCK_AFTER_THROTTLE_GRACE_MS, MIN_ATTEMPT_MS } from './http.ts';
export type { RdHttpOptions, RdRequest, RdResponse } from './http.ts';
export * from './client.ts';
export * from './convert.ts';
export type * from './types.ts';
