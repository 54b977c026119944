/**
 * `rushes ingest <card> --api <url> --key <key>`: a card uploaded from any machine through the
 * api — every file of the card (its MHL included, so the server checks against it), in parts
 * to the signed URLs the api hands out, with each file's xxh64 computed while it is read. A
 * re-run after an interruption skips the files already uploaded and, from the upload journal,
 * the parts of a half-sent file (they are still read, for the file's hash, but not sent).
 */
import { createReadStream } from 'node:fs';
import path from 'node:path';
import { XXHASH, type StreamingHash } from '@rushes/engine';
import { folderSource, type CardFile } from '../sources.ts';
import {
  mismatch,
  newJournal,
  sentParts,
  withFinished,
  withoutParts,
  withPart,
  type SentPart,
  type UploadJournal,
} from '@rushes/schema/upload-journal';
import { RemoteError, type ApiClient } from './api-client.ts';
import { fileJournals } from './file-journals.ts';

export interface RemoteIngestRequest {
  dir: string;
  productionCode: string;
  rollName: string;
  /** Where upload journals are kept (see file-journals.ts). */
  journalFolder: string;
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
  /** Bytes of parts an interrupted run had sent: read and hashed, not sent again. */
  resumedBytes: number;
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

/**
 * Sends one file's parts in order, hashing the bytes as they are read; parts in `sent` (from an
 * interrupted run) are read and hashed but not sent again. `onSent` hears of each part sent.
 */
async function sendFile(
  file: string,
  target: Target,
  hash: StreamingHash,
  sent: ReadonlyMap<number, string>,
  onChunk: (bytes: number) => void,
  onSent: (part: SentPart) => void,
) {
  const etags: SentPart[] = [];
  let resumedBytes = 0;
  for (const part of target.parts) {
    const start = (part.partNumber - 1) * target.partSize;
    const chunks: Buffer[] = [];
    for await (const chunk of createReadStream(file, { start, end: start + target.partSize - 1 })) {
      hash.update(chunk as Buffer);
      chunks.push(chunk as Buffer);
      onChunk((chunk as Buffer).length);
    }
    const known = sent.get(part.partNumber);
    if (known !== undefined) {
      resumedBytes += chunks.reduce((sum, c) => sum + c.length, 0);
      etags.push({ partNumber: part.partNumber, etag: known });
      continue;
    }
    const response = await fetch(part.url, { method: 'PUT', body: Buffer.concat(chunks) });
    if (!response.ok) {
      throw new RemoteError(
        `the store refused part ${part.partNumber} of ${path.basename(file)} (HTTP ${response.status})`,
      );
    }
    const etag = { partNumber: part.partNumber, etag: response.headers.get('etag') ?? '' };
    onSent(etag);
    etags.push(etag);
  }
  return { etags, resumedBytes };
}

export async function remoteIngest(
  api: ApiClient,
  request: RemoteIngestRequest,
): Promise<RemoteIngestResult> {
  const source = folderSource(path.resolve(request.dir));
  const files = filesToUpload(await source.list());
  if (files.length === 0) throw new RemoteError(`${request.dir} holds no files`);
  const rollName = request.rollName.trim();
  const { productionId, rollId } = await findOrCreateRoll(api, request.productionCode, rollName);
  const journals = fileJournals(request.journalFolder, productionId);
  const described = files.map((f) => ({ path: f.path, size: f.size, lastModified: f.modifiedMs }));
  const earlier = journals.get(rollName);
  // A journal of another roll of that name, or of a card that has changed since, is not used.
  let journal =
    earlier?.rollId === rollId && !mismatch(earlier, rollName, described)
      ? earlier
      : newJournal(rollId, rollName, described);
  const save = (next: UploadJournal) => {
    journal = next;
    journals.put(next);
  };
  save(journal);
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
        save(withFinished(journal, file.path));
        uploaded.push({ path: file.path, size: file.size, xxh64: '', skipped: true, resumedBytes: 0 });
        continue;
      }
      throw error;
    }
    const hash = await XXHASH.xxh64!();
    const sent = new Map(sentParts(journal, file.path, target.uploadId).map((p) => [p.partNumber, p.etag]));
    const { etags, resumedBytes } = await sendFile(
      path.join(source.location, file.path),
      target,
      hash,
      sent,
      (bytes) => {
        done += bytes;
        request.onBytes?.(done, total);
      },
      (part) => save(withPart(journal, file.path, target.uploadId, target.partSize, part)),
    );
    try {
      await api.request(
        'mutation($u: ID!, $p: [UploadedPartInput!]!) { finishUpload(uploadId: $u, parts: $p) }',
        { u: target.uploadId, p: etags },
      );
    } catch (error) {
      // The store would not assemble these parts: the next run sends the whole file again.
      if (error instanceof RemoteError && error.code === 'BAD_USER_INPUT')
        save(withoutParts(journal, file.path));
      throw error;
    }
    save(withFinished(journal, file.path));
    uploaded.push({ path: file.path, size: file.size, xxh64: hash.hex(), skipped: false, resumedBytes });
  }
  await api.request('mutation($r: ID!) { completeUpload(rollId: $r) { id } }', { r: rollId });
  journals.remove(rollName);
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
