export { EngineError, type EngineErrorCode } from './errors.ts';
export { run, type Command, type RunOptions, type RunResult } from './process/run.ts';
export {
  parseFfmpegVersion,
  resolveTools,
  type ResolvedTool,
  type ToolLocations,
  type ToolName,
  type Tools,
} from './tools.ts';

/** Part of every derived file's identity: bump when the engine's output changes. */
export const ENGINE_VERSION = '0.1.0';
export * from '@rushes/timecode';
export {
  HASH_ALGORITHMS,
  isHashAlgorithm,
  parseAlgorithms,
  type Digests,
  type HashAlgorithm,
} from './hash/algorithms.ts';
export { c4FromSha512, isC4 } from './hash/c4.ts';
export { hashFile, type HashOptions } from './hash/hash-file.ts';
export { XXHASH, type StreamingHash } from './hash/xxhash.ts';
export { ManifestError, decodeXml, detectXmlEncoding } from './manifest/xml.ts';
export {
  mergeGenerations,
  type ExpectedHash,
  type HashAction,
  type ManifestEntry,
} from './manifest/entries.ts';
export { parseMhlV1, type MhlV1 } from './manifest/ascmhl-v1.ts';
export {
  parseChain,
  parseMhlV2,
  writeChain,
  writeMhlV2,
  type ChainEntry,
  type MhlV2Generation,
} from './manifest/ascmhl-v2.ts';
export { readHistory, type History } from './manifest/history.ts';
export {
  verifyFolder,
  type FileReport,
  type FileStatus,
  type ManifestProblem,
  type VerifyReport,
} from './manifest/verify.ts';
export { createGeneration, type CreateOptions, type CreatedGeneration } from './manifest/create.ts';
export { Engine, type EngineOptions } from './engine.ts';
export type { ProbeResult } from './probe/probe.ts';
export type { ValidationResult } from './validate.ts';
export { parseClipName, type ClipName } from './probe/clip-name.ts';
export { acesInputTransformFor, ACES_INPUT_TRANSFORMS, type AcesInputTransform } from './probe/color-ids.ts';
export { parseCdl, parseAscSop, type CdlDocument, type ColorCorrection } from './sidecar/cdl.ts';
export {
  parseAle,
  readAle,
  writeAle,
  ALE_COLUMNS,
  type Ale,
  type AleClip,
  type AleDocument,
} from './sidecar/ale.ts';
export {
  parseEdl,
  InterchangeError,
  type EdlDocument,
  type EdlEvent,
  type EdlEdit,
} from './interchange/edl.ts';
export {
  parseOtio,
  otioClips,
  type OtioDocument,
  type OtioTimeline,
  type OtioClip,
} from './interchange/otio.ts';
export {
  writeEdl,
  writeOtio,
  clipsFromEdl,
  clipsFromOtio,
  type InterchangeClip,
} from './interchange/write.ts';
export { parseCsv, writeCsv, type CsvOptions } from './sidecar/csv.ts';
export { findSequences, sequenceName, type ImageSequence } from './sequence/find.ts';
export {
  parseDpxHeader,
  decodeBcdTimecode,
  decodeSmpteTimecode,
  dpxFacts,
  type DpxHeader,
} from './sequence/dpx.ts';
export {
  parseSonyNrt,
  decodeLtcChangeValue,
  parseScanRate,
  SonyNrtError,
  type SonyNrt,
} from './sidecar/sony-nrt.ts';
export { parseP2Clip, P2ClipError, type P2Clip } from './sidecar/p2-clip.ts';
export { cameraXmlCandidate, cameraXmlFacts, readCameraXml, type CameraXml } from './probe/camera-xml.ts';
export type { SequenceProbeResult } from './sequence/probe-sequence.ts';
export { hasFeature, requireFeature, parseFeatureList, type FeatureKind } from './features.ts';
export { listFiles, resolveInside } from './manifest/folder.ts';
export {
  addToTree,
  directoryHashes,
  emptyTree,
  hashBytes,
  type HashTree,
} from './manifest/directory-hash.ts';
export { generationFileName } from './manifest/ascmhl-v2.ts';
export { DEFAULT_FONT, type RenderJob } from './engine.ts';
export { COLORSPACES, OUTPUT_TRANSFORM, isColorspaceId, type Colorspace } from './color/colorspaces.ts';
export { cdlFilters, colorFilters, lutsFor, type ColorChain } from './color/color-filters.ts';
export { resolveColorFilters } from './color/resolve.ts';
export { cubeFile, cubeText, unpackLut } from './color/lut-file.ts';
export {
  PROXY_PROFILE_IDS,
  isProxyProfileId,
  resolveProfile,
  type BurnIns,
  type ProfileOverrides,
  type ProxyProfile,
  type ProxyProfileId,
} from './render/profiles.ts';
export { DEFAULT_IMAGES, buildRenderPlan, type ImageOptions, type RenderPlan } from './render/plan.ts';
export { renderSourceFrom, type RenderInput, type RenderSource } from './render/source.ts';
export { stripTiles, stripVtt, type StripTile } from './render/strip.ts';
export { safeBaseName, type RenderOptions, type RenderResult, type RenderedFile } from './render/render.ts';
export { derivedIdentity, canonicalJson, type IdentityInputs } from './render/identity.ts';
export type { DecoderAdapter } from './render/adapters.ts';
export { trackProgress } from './render/progress.ts';
export { detectCardLayout, type CardLayout } from './card/layout.ts';
