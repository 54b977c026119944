/**
 * `rushes ingest <card> --api <url> --key <key>`: a card uploaded from any machine through the
 * api — every file of the card (its MHL included, so the server checks against it), in parts
 * to the signed URLs the api hands out, with each file's xxh64 computed while it is read. A
 * re-run after an interruption skips the files already uploaded and re-sends the rest.
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { XXHASH, type StreamingHash } from '@rushes/engine';
import { folderSource, type CardFile } from '../sources.ts';
import { RemoteError, type ApiClient } from './api-client.ts';

export interface RemoteIngestRequest {
  dir: string;
  productionCode: string;
  rollName: string;
  /** Bytes done of the whole card, after every chunk. */
  onBytes?: (done: number, total: number) => void;
  onFile?: (file: string, index: number, count: number) => void;
}

export interface UploadedFile {
  path: string;
  size: number;
  xxh64: string;
  /** Already on the server from an earlier run: not sent again (and not hashed). */
  skipped: boolean;
}

export interface RemoteIngestResult {
  productionId: string;
  rollId: string;
  files: UploadedFile[];
}

interface Target {
  uploadId: string;
  partSize: number;
  parts: { partNumber: number; url: string }[];
}

/** Pure: which files of a card go up — hidden files (.DS_Store, ._*) stay behind. */
export function filesToUpload(files: CardFile[]): CardFile[] {
  return files.filter((f) => !f.path.split('/').some((segment) => segment.startsWith('.')));
}

async function findOrCreateRoll(api: ApiClient, code: string, name: string) {
  const { production } = await api.request<{
    production: {
      id: string;
      rolls: { nodes: { id: string; name: string; sourceLocation: string | null }[] };
    } | null;
  }>(
    'query($code: String!) { production(code: $code) { id rolls(first: 500) { nodes { id name sourceLocation } } } }',
    {
      code,
    },
  );
  if (!production) throw new RemoteError(`no production ${code} that this key can reach`);
  const existing = production.rolls.nodes.find((r) => r.name === name);
  if (existing) {
    if (existing.sourceLocation)
      throw new RemoteError(`roll ${name} was already imported; use a new roll name`);
    return { productionId: production.id, rollId: existing.id };
  }
  const { createRoll } = await api.request<{ createRoll: { id: string } }>(
    'mutation($p: ID!, $n: String!) { createRoll(input: { productionId: $p, name: $n }) { id } }',
    { p: production.id, n: name },
  );
  return { productionId: production.id, rollId: createRoll.id };
}

/** Sends one file's parts in order, hashing the bytes as they are read. */
async function sendFile(file: string, target: Target, hash: StreamingHash, onChunk: (bytes: number) => void) {
  const etags = [];
  for (const part of target.parts) {
    const start = (part.partNumber - 1) * target.partSize;
    const chunks: Buffer[] = [];
    for await (const chunk of createReadStream(file, { start, end: start + target.partSize - 1 })) {
      hash.update(chunk as Buffer);
      chunks.push(chunk as Buffer);
      onChunk((chunk as Buffer).length);
    }
    const response = await fetch(part.url, { method: 'PUT', body: Buffer.concat(chunks) });
    if (!response.ok) {
      throw new RemoteError(
        `the store refused part ${part.partNumber} of ${path.basename(file)} (HTTP ${response.status})`,
      );
    }
    etags.push({ partNumber: part.partNumber, etag: response.headers.get('etag') ?? '' });
  }
  return etags;
}

export async function remoteIngest(
  api: ApiClient,
  request: RemoteIngestRequest,
): Promise<RemoteIngestResult> {
  const source = folderSource(path.resolve(request.dir));
  const files = filesToUpload(await source.list());
  if (files.length === 0) throw new RemoteError(`${request.dir} holds no files`);
  const { productionId, rollId } = await findOrCreateRoll(
    api,
    request.productionCode,
    request.rollName.trim(),
  );
  const total = files.reduce((sum, f) => sum + f.size, 0);
  let done = 0;
  const uploaded: UploadedFile[] = [];
  for (const [index, file] of files.entries()) {
    request.onFile?.(file.path, index + 1, files.length);
    let target: Target;
    try {
      ({ beginUpload: target } = await api.request<{ beginUpload: Target }>(
        'mutation($r: ID!, $f: String!, $s: Float!) { beginUpload(rollId: $r, fileName: $f, size: $s) { uploadId partSize parts { partNumber url } } }',
        { r: rollId, f: file.path, s: file.size },
      ));
    } catch (error) {
      if (
        error instanceof RemoteError &&
        error.code === 'CONFLICT' &&
        /already uploaded/.test(error.message)
      ) {
        done += file.size;
        request.onBytes?.(done, total);
        uploaded.push({ path: file.path, size: file.size, xxh64: '', skipped: true });
        continue;
      }
      throw error;
    }
    const hash = await XXHASH.xxh64!();
    const parts = await sendFile(path.join(source.location, file.path), target, hash, (bytes) => {
      done += bytes;
      request.onBytes?.(done, total);
    });
    await api.request(
      'mutation($u: ID!, $p: [UploadedPartInput!]!) { finishUpload(uploadId: $u, parts: $p) }',
      {
        u: target.uploadId,
        p: parts,
      },
    );
    uploaded.push({ path: file.path, size: file.size, xxh64: hash.hex(), skipped: false });
  }
  await api.request('mutation($r: ID!) { completeUpload(rollId: $r) { id } }', { r: rollId });
  return { productionId, rollId, files: uploaded };
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
