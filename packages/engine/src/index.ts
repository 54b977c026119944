export { EngineError, type EngineErrorCode } from './errors.ts';
export { run, type Command, type RunOptions, type RunResult } from './process/run.ts';
export { detectTools, parseFfmpegVersion, type ToolLocations, type ToolReport } from './tools.ts';

/** Part of every derived file's identity: bump when the engine's output changes. */
export const ENGINE_VERSION = '0.1.0';
export * from './timecode/index.ts';
export {
  HASH_ALGORITHMS,
  isHashAlgorithm,
  parseAlgorithms,
  type Digests,
  type HashAlgorithm,
} from './hash/algorithms.ts';
export { c4FromSha512, isC4 } from './hash/c4.ts';
export { hashFile, type HashOptions } from './hash/hash-file.ts';
