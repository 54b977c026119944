/**
 * A card folder into a roll through the api with the one upload client (@rushes/upload-client):
 * the roll of that name (or a new one), every file in parts — up to four at once, each retried —
 * and the roll's import. What an earlier, interrupted attempt sent — whole files and parts — is
 * not sent again (its journal is in localStorage, see browser-journals.ts).
 */
import type { Client } from 'urql';
import {
  uploadCard as upload,
  type GraphQLRequest,
  type Progress,
  type PutPart,
} from '@rushes/upload-client';
import type { JournalFile, Journals } from '@rushes/upload-client/journal';

export type { Progress };

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

/** PUTs one part with XMLHttpRequest (fetch reports no upload progress), reporting bytes as they go. */
const putPart: PutPart<Blob> = (url, body, { signal, onLoaded }) =>
  new Promise((resolve, reject) => {
    const xhr = new XMLHttpRequest();
    xhr.open('PUT', url);
    xhr.upload.onprogress = (event) => onLoaded(event.loaded);
    xhr.onload = () =>
      resolve(
        xhr.status >= 200 && xhr.status < 300
          ? { ok: true, etag: xhr.getResponseHeader('etag') ?? '' }
          : { ok: false, status: xhr.status },
      );
    xhr.onerror = () => reject(new Error('the connection to the store was lost'));
    xhr.onabort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', () => xhr.abort(), { once: true });
    xhr.send(body);
  });

/** The upload client's GraphQL transport over the app's urql client (its cookie session). */
function overUrql(client: Client): GraphQLRequest {
  return async <T>(query: string, variables: Record<string, unknown>) => {
    const isQuery = /^\s*query\b/.test(query);
    const result = await (
      isQuery
        ? client.query<T>(query, variables, { requestPolicy: 'network-only' })
        : client.mutation<T>(query, variables)
    ).toPromise();
    if (result.error?.networkError) throw result.error.networkError;
    return {
      data: result.data ?? null,
      ...(result.error
        ? {
            errors: result.error.graphQLErrors.map((e) => ({
              message: e.message,
              extensions: e.extensions,
            })),
          }
        : {}),
    };
  };
}

/** A card file as the journal describes it: enough to tell the same file from a changed one. */
export const describe = ({ path, file }: CardFile): JournalFile => ({
  path,
  size: file.size,
  lastModified: file.lastModified,
});

/**
 * Uploads a card, resuming from its journal in `journals` when there is one (the caller has
 * checked with `mismatch` that the files are the journal's); resolves with the roll's id, or
 * throws an Error whose message is written for the person uploading.
 */
export async function uploadCard(
  client: Client,
  productionId: string,
  rollName: string,
  files: CardFile[],
  onProgress: (progress: Progress) => void,
  journals: Journals,
): Promise<string> {
  const outcome = await upload({
    api: overUrql(client),
    put: putPart,
    productionId,
    rollName,
    files: files.map((card) => ({ ...describe(card), read: (start, end) => card.file.slice(start, end) })),
    journals,
    onProgress,
  });
  if (outcome.ok) return outcome.rollId;
  const { failure } = outcome;
  switch (failure.code) {
    case 'ROLL_ALREADY_IMPORTED':
      throw new Error(`Roll ${rollName} was already imported; rename the folder to import it again.`);
    case 'STORE_REFUSED':
    case 'UNREACHABLE':
      throw new Error(`${failure.message}; try again to resume.`);
    default:
      throw new Error(failure.message);
  }
}
