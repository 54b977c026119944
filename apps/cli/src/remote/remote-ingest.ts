/**
 * `rushes ingest <card> --api <url> --key <key>`: a card uploaded from any machine through the
 * api with the one upload client (@rushes/upload-client) — every file of the card (its MHL
 * included, so the server checks against it), with each file's xxh64 computed while it is read.
 * A re-run after an interruption skips the files already uploaded and, from the upload journal,
 * the parts of a half-sent file (they are still read, for the file's hash, but not sent).
 */
import { open } from 'node:fs/promises';
import path from 'node:path';
import { XXHASH, type StreamingHash } from '@rushes/engine';
import { uploadCard, type CardFileSource, type PutPart, type UploadFailure } from '@rushes/upload-client';
import { fetchPut } from '@rushes/upload-client/http';
import { folderSource, type CardFile } from '@rushes/worker/sources';
import { RemoteError, type ApiClient } from './api-client.ts';
import { fileJournals } from './file-journals.ts';

export interface RemoteIngestRequest {
  dir: string;
  productionCode: string;
  rollName: string;
  /** Where upload journals are kept (see file-journals.ts). */
  journalFolder: string;
  /** Bytes of the card on the server, after every part. */
  onBytes?: (done: number, total: number) => void;
  /** Parts of a file sent at once (default: the upload client's). */
  concurrency?: number;
  /** How a part is PUT (default fetchPut(); tests inject faults). */
  put?: PutPart<Uint8Array>;
}

export interface UploadedFile {
  path: string;
  size: number;
  xxh64: string;
  /** Already on the server from an earlier run: not sent again (and not hashed). */
  skipped: boolean;
  /** Bytes of parts an interrupted run had sent: read and hashed, not sent again. */
  resumedBytes: number;
}

export interface RemoteIngestResult {
  productionId: string;
  rollId: string;
  files: UploadedFile[];
}

/** Pure: which files of a card go up — hidden files (.DS_Store, ._*) stay behind. */
export function filesToUpload(files: CardFile[]): CardFile[] {
  return files.filter((f) => !f.path.split('/').some((segment) => segment.startsWith('.')));
}

/** Pure: what the CLI says when the upload client reports a failure. */
export function failureMessage(failure: UploadFailure): string {
  return failure.code === 'ROLL_ALREADY_IMPORTED'
    ? `roll ${failure.rollName} was already imported; use a new roll name`
    : failure.message;
}

/** A card file read part by part (the upload client reads every part in order), hashed as read. */
function hashedSource(dir: string, file: CardFile) {
  let hash: StreamingHash | undefined;
  const source: CardFileSource<Uint8Array> = {
    path: file.path,
    size: file.size,
    lastModified: file.modifiedMs,
    async read(start, end) {
      hash ??= await XXHASH.xxh64!();
      const bytes = Buffer.alloc(end - start);
      const handle = await open(path.join(dir, file.path), 'r');
      try {
        let filled = 0;
        while (filled < bytes.length) {
          const { bytesRead } = await handle.read(bytes, filled, bytes.length - filled, start + filled);
          if (bytesRead === 0) throw new RemoteError(`${file.path} became shorter while it was sent`);
          filled += bytesRead;
        }
      } finally {
        await handle.close();
      }
      hash.update(bytes);
      return bytes;
    },
  };
  return { source, hex: () => hash?.hex() ?? '' };
}

export async function remoteIngest(
  api: ApiClient,
  request: RemoteIngestRequest,
): Promise<RemoteIngestResult> {
  const source = folderSource(path.resolve(request.dir));
  const files = filesToUpload(await source.list());
  if (files.length === 0) throw new RemoteError(`${request.dir} holds no files`);
  const rollName = request.rollName.trim();
  const { production } = await api.request<{ production: { id: string } | null }>(
    'query($code: String!) { production(code: $code) { id } }',
    { code: request.productionCode },
  );
  if (!production) throw new RemoteError(`no production ${request.productionCode} that this key can reach`);
  const sources = files.map((file) => hashedSource(source.location, file));
  const hashes = new Map(sources.map((s) => [s.source.path, s.hex]));
  const outcome = await uploadCard({
    api: api.graphql,
    put: request.put ?? fetchPut(),
    productionId: production.id,
    rollName,
    files: sources.map((s) => s.source),
    journals: fileJournals(request.journalFolder, production.id),
    onProgress: (progress) => request.onBytes?.(progress.done, progress.total),
    ...(request.concurrency ? { concurrency: request.concurrency } : {}),
  });
  if (!outcome.ok) {
    const { failure } = outcome;
    throw new RemoteError(
      failureMessage(failure),
      failure.code === 'API_ERROR' ? failure.api.code : failure.code,
    );
  }
  return {
    productionId: production.id,
    rollId: outcome.rollId,
    files: outcome.files.map((file) =>
      file.outcome === 'sent'
        ? {
            path: file.path,
            size: file.size,
            xxh64: hashes.get(file.path)!(),
            skipped: false,
            resumedBytes: file.resumedBytes,
          }
        : { path: file.path, size: file.size, xxh64: '', skipped: true, resumedBytes: 0 },
    ),
  };
}

export interface RemoteClipState {
  path: string;
  state: string;
  errorCode: string | null;
  errorMessage: string | null;
  checksums: { algorithm: string; value: string }[];
}

/** The roll's clips as the server sees them, and whether its import failed. */
export async function remoteRollState(api: ApiClient, rollId: string) {
  const { node } = await api.request<{
    node: {
      state: string;
      errorMessage: string | null;
      clips: {
        nodes: {
          originalPath: string;
          state: string;
          errorCode: string | null;
          errorMessage: string | null;
          checksums: { algorithm: string; value: string }[];
        }[];
      };
    };
  }>(
    'query($r: ID!) { node(id: $r) { ... on Roll { state errorMessage clips(first: 500) { nodes { originalPath state errorCode errorMessage checksums { algorithm value } } } } } }',
    { r: rollId },
  );
  return {
    state: node.state,
    errorMessage: node.errorMessage,
    clips: node.clips.nodes.map((c): RemoteClipState => ({ path: c.originalPath, ...c })),
  };
}

/** Pure: clips whose server-side xxh64 differs from the one computed while uploading. */
export function hashMismatches(files: UploadedFile[], clips: RemoteClipState[]): string[] {
  const sent = new Map(files.filter((f) => !f.skipped).map((f) => [f.path, f.xxh64]));
  return clips.flatMap((clip) => {
    const ours = sent.get(clip.path);
    const theirs = clip.checksums.find((c) => c.algorithm === 'xxh64')?.value;
    return ours && theirs && ours !== theirs
      ? [`${clip.path}: sent xxh64 ${ours}, the server has ${theirs}`]
      : [];
  });
}
