/** Stable error codes the engine reports; callers branch on `code`, people read `message`. */
export type EngineErrorCode =
  | 'TOOL_NOT_FOUND'
  | 'TOOL_FAILED'
  | 'TIMEOUT'
  | 'ABORTED'
  /** The file could not be opened or read (missing, permissions, I/O error). */
  | 'FILE_UNREADABLE'
  /** The file has no bytes. */
  | 'EMPTY_FILE'
  /** No tool recognizes the file as media (a text file, a random blob). */
  | 'NOT_MEDIA'
  /** The file stops before its container says it should (an interrupted copy). */
  | 'TRUNCATED'
  /** The container is readable but its frames cannot be decoded (corrupt essence). */
  | 'UNDECODABLE'
  /** A format with no open decoder here (RED R3D, ARRIRAW, BRAW): metadata only. */
  | 'UNSUPPORTED_DECODE'
  /** The file's bytes do not match the hash its manifest (MHL) recorded. */
  | 'CHECKSUM_MISMATCH'
  /** The file's size differs from the size its manifest recorded. */
  | 'SIZE_MISMATCH'
  /** A picture-only output (e.g. an Avid proxy) was asked of a sound-only file. */
  | 'NO_PICTURE'
  /** The ffmpeg in use lacks an encoder, filter or muxer the job needs (an old bundled build). */
  | 'UNSUPPORTED_FEATURE';

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  /** The tool involved, e.g. `ffprobe`. */
  readonly tool: string | undefined;
  /** Whether trying again may succeed (a crash or timeout) rather than fail the same way. */
  readonly retryable: boolean;

  constructor(
    code: EngineErrorCode,
    message: string,
    options: { tool?: string; retryable?: boolean; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = 'EngineError';
    this.code = code;
    this.tool = options.tool;
    this.retryable = options.retryable ?? false;
  }
}
