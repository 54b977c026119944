/**
 * A card folder into a roll through the api: createRoll (or the unfinished roll of the same
 * name, to resume), then per file beginUpload → PUT its parts → finishUpload, then
 * completeUpload. What an earlier, interrupted attempt sent — whole files and parts — is not sent
 * again (see @rushes/schema/upload-journal).
 */
import type { Client } from 'urql';
import { graphql } from '../gql/index.ts';
import {
  newJournal,
  sentBytes,
  sentOf,
  sentParts,
  withFinished,
  withoutParts,
  withPart,
  type JournalFile,
  type Journals,
  type UploadJournal,
} from '@rushes/schema/upload-journal';

const ROLLS = graphql(`
  query UploadRolls($id: ID!) {
    node(id: $id) {
      ... on Production {
        rolls(first: 500) {
          nodes {
            id
            name
            sourceLocation
          }
        }
      }
    }
  }
`);

const CREATE_ROLL = graphql(`
  mutation UploadCreateRoll($productionId: ID!, $name: String!) {
    createRoll(input: { productionId: $productionId, name: $name }) {
      id
    }
  }
`);

const BEGIN = graphql(`
  mutation UploadBegin($rollId: ID!, $fileName: String!, $size: Float!) {
    beginUpload(rollId: $rollId, fileName: $fileName, size: $size) {
      uploadId
      partSize
      parts {
        partNumber
        url
      }
    }
  }
`);

const FINISH = graphql(`
  mutation UploadFinish($uploadId: ID!, $parts: [UploadedPartInput!]!) {
    finishUpload(uploadId: $uploadId, parts: $parts)
  }
`);

const COMPLETE = graphql(`
  mutation UploadComplete($rollId: ID!) {
    completeUpload(rollId: $rollId) {
      id
    }
  }
`);

export interface CardFile {
  /** Path on the card, without the card folder's own name. */
  path: string;
  file: File;
}

/** Pure: the card's files from a folder pick (`webkitRelativePath`), hidden files left out. */
export function cardFiles(files: { file: File; relativePath: string }[]): {
  rollName: string;
  files: CardFile[];
} {
  const rollName = files[0]?.relativePath.split('/')[0] ?? '';
  const card = files
    .map(({ file, relativePath }) => ({
      file,
      path: relativePath.split('/').slice(1).join('/') || file.name,
    }))
    .filter((f) => !f.path.split('/').some((segment) => segment.startsWith('.')))
    .sort((a, b) => a.path.localeCompare(b.path));
  return { rollName, files: card };
}

export const isManifest = (path: string) => /\.mhl$/i.test(path) || /(^|\/)ascmhl\//i.test(path);

export interface Progress {
  file: string;
  fileDone: number;
  fileTotal: number;
  done: number;
  total: number;
  /** Bytes sent before this attempt (a resumed upload): not part of this attempt's speed. */
  alreadySent: number;
}

/** PUTs one part, reporting bytes as they go; resolves with its ETag. */
function putPart(url: string, body: Blob, onBytes: (loaded: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.onprogress = (event) => onBytes(event.loaded);
    xhr.onload = () =>
      xhr.status >= 200 && xhr.status < 300
        ? resolve(xhr.getResponseHeader('etag') ?? '')
        : reject(new Error(`the store refused a part (HTTP ${xhr.status})`));
    xhr.onerror = () => reject(new Error('the connection to the store was lost; try again to resume'));
    xhr.send(body);
  });
}

function unwrap<T>(result: {
  data?: T;
  error?: { graphQLErrors: { message: string; extensions: Record<string, unknown> }[]; message: string };
}): T {
  if (result.error) {
    const first = result.error.graphQLErrors[0];
    throw Object.assign(new Error(first?.message ?? result.error.message), {
      code: first?.extensions['code'],
    });
  }
  return result.data!;
}

/** A card file as the journal describes it: enough to tell the same file from a changed one. */
export const describe = ({ path, file }: CardFile): JournalFile => ({
  path,
  size: file.size,
  lastModified: file.lastModified,
});

/**
 * Uploads a card, resuming from its journal in `journals` when there is one (the caller has
 * checked with `mismatch` that the files are the journal's), and writing the journal as parts
 * and files finish; the journal is removed once the roll's import is queued.
 */
export async function uploadCard(
  client: Client,
  productionId: string,
  rollName: string,
  files: CardFile[],
  onProgress: (progress: Progress) => void,
  journals: Journals,
): Promise<string> {
  const existing = unwrap(
    await client.query(ROLLS, { id: productionId }, { requestPolicy: 'network-only' }).toPromise(),
  );
  const rolls = existing.node && 'rolls' in existing.node ? existing.node.rolls.nodes : [];
  const found = rolls.find((r) => r.name === rollName);
  if (found?.sourceLocation) {
    journals.remove(rollName);
    throw new Error(`Roll ${rollName} was already imported; rename the folder to import it again.`);
  }
  const rollId =
    found?.id ??
    unwrap(await client.mutation(CREATE_ROLL, { productionId, name: rollName }).toPromise()).createRoll.id;
  const earlier = journals.get(rollName);
  let journal = earlier?.rollId === rollId ? earlier : newJournal(rollId, rollName, files.map(describe));
  const save = (next: UploadJournal) => {
    journal = next;
    journals.put(next);
  };
  save(journal);
  const total = files.reduce((sum, f) => sum + f.file.size, 0);
  const alreadySent = sentBytes(journal);
  const report = (card: CardFile, loaded: number) =>
    onProgress({
      file: card.path,
      fileDone: sentOf(journal, describe(card)) + loaded,
      fileTotal: card.file.size,
      done: sentBytes(journal) + loaded,
      total,
      alreadySent,
    });
  for (const card of files) {
    const { path, file } = card;
    if (journal.finished.includes(path)) continue;
    const begun = await client.mutation(BEGIN, { rollId, fileName: path, size: file.size }).toPromise();
    const code = begun.error?.graphQLErrors[0]?.extensions['code'];
    if (code === 'CONFLICT' && /already uploaded/.test(begun.error!.graphQLErrors[0]!.message)) {
      save(withFinished(journal, path));
      report(card, 0);
      continue;
    }
    const target = unwrap(begun).beginUpload;
    const sent = new Map(sentParts(journal, path, target.uploadId).map((p) => [p.partNumber, p.etag]));
    const parts = [];
    for (const part of target.parts) {
      let etag = sent.get(part.partNumber);
      if (etag === undefined) {
        const start = (part.partNumber - 1) * target.partSize;
        etag = await putPart(part.url, file.slice(start, start + target.partSize), (loaded) =>
          report(card, loaded),
        );
        save(
          withPart(journal, path, target.uploadId, target.partSize, { partNumber: part.partNumber, etag }),
        );
      }
      parts.push({ partNumber: part.partNumber, etag });
    }
    try {
      unwrap(await client.mutation(FINISH, { uploadId: target.uploadId, parts }).toPromise());
    } catch (error) {
      // The store would not assemble these parts: send the whole file again next time.
      if ((error as { code?: unknown }).code === 'BAD_USER_INPUT') save(withoutParts(journal, path));
      throw error;
    }
    save(withFinished(journal, path));
    report(card, 0);
  }
  unwrap(await client.mutation(COMPLETE, { rollId }).toPromise());
  journals.remove(rollName);
  return rollId;
}
