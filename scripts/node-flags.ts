/**
 * V8 flags the api process is started with, by `npm start` (scripts/start.ts), the container's
 * entrypoint (deploy/image/rushes.sh) and the api benchmark. Semi-spaces of 16 MB: Node 24 sizes
 * them up to 64 MB, and loading the api's modules alone then left ~150 MB of garbage uncollected
 * (RSS 305 MB at rest, warmed; 211 MB with this flag). Measured with 8, 16 and 32 MB under the
 * roll-browse load: 8 promoted more of the in-flight requests to the old generation (peak
 * 294–318 MB), 32 kept more garbage at rest (249 MB, peak 267–335); 16 peaked at 278–304 MB.
 */
export const API_NODE_FLAGS = ['--max-semi-space-size=16'] as const;
