// Request shapes more than one route checks, stated once (TypeBox: the JSON schema Fastify
// validates with, and through @fastify/type-provider-typebox the TypeScript type of req.params).
import { Type } from '@sinclair/typebox';

/** A video id in a URL: 16 lower-case hex digits (library/ids.ts). */
export const VideoIdParams = Type.Object({ id: Type.String({ pattern: '^[0-9a-f]{16}$' }) });
