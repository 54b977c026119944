/**
 * V8 flags the api process is started with, by `npm start` (scripts/start.ts), the container's
 * entrypoint (deploy/image/rushes.sh) and the api benchmark. A young generation of 8 MB: Node 24
 * sizes it up to 64 MB, and loading the api's modules alone then left ~150 MB of garbage
 * uncollected (RSS 305 MB at rest, 378 MB after start-up; 163 MB with this flag).
 */
export const API_NODE_FLAGS = ['--max-semi-space-size=16'] as const;
