/**
 * A card folder into a roll through the api: createRoll (or the unfinished roll of the same
 * name, to resume), then per file beginUpload → PUT its parts → finishUpload, then
 * completeUpload. Files already on the server (an earlier, interrupted attempt) are skipped.
 */
import type { Client } from 'urql';
import { graphql } from '../gql/index.ts';

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

export async function uploadCard(
  client: Client,
  productionId: string,
  rollName: string,
  files: CardFile[],
  onProgress: (progress: Progress) => void,
): Promise<string> {
  const existing = unwrap(
    await client.query(ROLLS, { id: productionId }, { requestPolicy: 'network-only' }).toPromise(),
  );
  const rolls = existing.node && 'rolls' in existing.node ? existing.node.rolls.nodes : [];
  const found = rolls.find((r) => r.name === rollName);
  if (found?.sourceLocation)
    throw new Error(`Roll ${rollName} was already imported; rename the folder to import it again.`);
  const rollId =
    found?.id ??
    unwrap(await client.mutation(CREATE_ROLL, { productionId, name: rollName }).toPromise()).createRoll.id;
  const total = files.reduce((sum, f) => sum + f.file.size, 0);
  let done = 0;
  for (const { path, file } of files) {
    const begun = await client.mutation(BEGIN, { rollId, fileName: path, size: file.size }).toPromise();
    const code = begun.error?.graphQLErrors[0]?.extensions['code'];
    if (code === 'CONFLICT' && /already uploaded/.test(begun.error!.graphQLErrors[0]!.message)) {
      done += file.size;
      onProgress({ file: path, fileDone: file.size, fileTotal: file.size, done, total });
      continue;
    }
    const target = unwrap(begun).beginUpload;
    const parts = [];
    let fileDone = 0;
    for (const part of target.parts) {
      const start = (part.partNumber - 1) * target.partSize;
      const body = file.slice(start, start + target.partSize);
      const etag = await putPart(part.url, body, (loaded) =>
        onProgress({
          file: path,
          fileDone: fileDone + loaded,
          fileTotal: file.size,
          done: done + loaded,
          total,
        }),
      );
      fileDone += body.size;
      done += body.size;
      parts.push({ partNumber: part.partNumber, etag });
    }
    unwrap(await client.mutation(FINISH, { uploadId: target.uploadId, parts }).toPromise());
  }
  unwrap(await client.mutation(COMPLETE, { rollId }).toPromise());
  return rollId;
}
