/**
 * A card into a roll through the api's resumable multipart upload — the one implementation, used
 * by the web app and the `rushes` CLI:
 *
 *   Production.roll(name) (an indexed lookup) or createRoll → per file: beginUpload → PUT its
 *   parts to the signed URLs (up to `concurrency` at once, each retried with backoff) →
 *   finishUpload → completeUpload, which queues the roll's import.
 *
 * What an earlier, interrupted run sent — whole files and parts — is in its journal (see
 * ./journal.ts) and is not sent again; where journals are kept is the caller's (localStorage,
 * a file). Expected outcomes are typed results, told apart by the api's machine-readable
 * `extensions.code` / `extensions.reason`, never by message text. Only an exception thrown by
 * the caller's own callbacks or transports rejects the returned promise.
 */
import {
  mismatch,
  newJournal,
  sentBytes,
  sentOf,
  sentParts,
  withFinished,
  withoutParts,
  withPart,
  type JournalFile,
  type Journals,
  type SentPart,
  type UploadJournal,
} from './journal.ts';
import { backoffDelay, DEFAULT_RETRY, retryableStatus, type RetryPolicy } from './retry.ts';

export { backoffDelay, DEFAULT_RETRY, retryableStatus, type RetryPolicy };

export interface GraphQLAnswer<T> {
  data?: T | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}

/**
 * Sends one GraphQL operation to the api and resolves with its answer. Throws when the api could
 * not be reached (the client tries again, with backoff).
 */
export type GraphQLRequest = <T>(
  query: string,
  variables: Record<string, unknown>,
) => Promise<GraphQLAnswer<T>>;

/**
 * PUTs one part's bytes to a signed URL. Resolves `{ ok: true, etag }`, or `{ ok: false, status }`
 * when the store answered with an error; throws when the request did not get an answer (both
 * 5xx/408/429 answers and throws are tried again). `onLoaded` reports bytes of this part sent.
 */
export type PutPart<B> = (
  url: string,
  body: B,
  options: { signal: AbortSignal; onLoaded: (bytes: number) => void },
) => Promise<{ ok: true; etag: string } | { ok: false; status: number }>;

/** One file of the card, as the client reads it. */
export interface CardFileSource<B> extends JournalFile {
  /**
   * The bytes [start, end) of the file. The client calls it for every part of a file it sends,
   * in order, one call at a time — also for parts an interrupted run already sent — so a caller
   * can hash the file as it goes up.
   */
  read(start: number, end: number): Promise<B> | B;
}

/** The api's machine-readable reasons (`extensions.reason`) the client acts on. */
export const REASONS = {
  alreadyUploaded: 'ALREADY_UPLOADED',
  rollAlreadyImported: 'ROLL_ALREADY_IMPORTED',
} as const;

export interface ApiFailure {
  /** `extensions.code`, e.g. UNAUTHENTICATED, FORBIDDEN, BAD_USER_INPUT. */
  code: string | undefined;
  reason: string | undefined;
  message: string;
}

export type UploadFailure =
  | { code: 'PRODUCTION_NOT_FOUND'; message: string }
  | { code: 'ROLL_ALREADY_IMPORTED'; rollName: string; message: string }
  /** The api refused a request (its code and message are the api's). */
  | { code: 'API_ERROR'; api: ApiFailure; path?: string; message: string }
  /** No answer from the api after every retry. */
  | { code: 'UNREACHABLE'; message: string }
  /** The store refused a part (e.g. an expired URL), or gave no answer after every retry. */
  | { code: 'STORE_REFUSED'; path: string; partNumber: number; status: number | null; message: string }
  /** The store could not assemble the file from its parts: the next run sends the whole file. */
  | { code: 'ASSEMBLY_FAILED'; path: string; message: string };

export type FileOutcome =
  | { path: string; size: number; outcome: 'sent'; resumedBytes: number }
  /** Finished by an earlier run (the journal or the api says so): not read, not sent. */
  | { path: string; size: number; outcome: 'already-uploaded' };

export type UploadOutcome =
  | { ok: true; rollId: string; files: FileOutcome[] }
  | { ok: false; rollId: string | null; failure: UploadFailure };

export interface Progress {
  file: string;
  fileDone: number;
  fileTotal: number;
  /** Bytes of the card on the server, parts in flight included. */
  done: number;
  total: number;
  /** Bytes sent before this run (a resumed upload): not part of this run's speed. */
  alreadySent: number;
}

export interface UploadRequest<B> {
  api: GraphQLRequest;
  put: PutPart<B>;
  /** The production's global id. */
  productionId: string;
  rollName: string;
  files: CardFileSource<B>[];
  /** Where this production's upload journals are kept. */
  journals: Journals;
  onProgress?: (progress: Progress) => void;
  /** Parts of a file in flight at once. Default 4. */
  concurrency?: number;
  /** Default DEFAULT_RETRY: 5 tries, 500 ms doubling to at most 15 s, with jitter. */
  retry?: RetryPolicy;
  /** Waits `ms` (tests pass a fake clock). Default setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** A number in [0, 1) for the jitter. Default Math.random. */
  random?: () => number;
}

const ROLL_BY_NAME = `query UploadRollByName($productionId: ID!, $name: String!) {
  node(id: $productionId) { ... on Production { id roll(name: $name) { id sourceLocation } } }
}`;
const CREATE_ROLL = `mutation UploadCreateRoll($productionId: ID!, $name: String!) {
  createRoll(input: { productionId: $productionId, name: $name }) { id }
}`;
const BEGIN = `mutation UploadBegin($rollId: ID!, $fileName: String!, $size: Float!) {
  beginUpload(rollId: $rollId, fileName: $fileName, size: $size) { uploadId partSize parts { partNumber url } }
}`;
const FINISH = `mutation UploadFinish($uploadId: ID!, $parts: [UploadedPartInput!]!) {
  finishUpload(uploadId: $uploadId, parts: $parts)
}`;
const COMPLETE = `mutation UploadComplete($rollId: ID!) { completeUpload(rollId: $rollId) { id } }`;

/** The operations the client sends, for a test that validates them against the api's schema. */
export const OPERATIONS = [ROLL_BY_NAME, CREATE_ROLL, BEGIN, FINISH, COMPLETE];

interface Target {
  uploadId: string;
  partSize: number;
  parts: { partNumber: number; url: string }[];
}

/** A failure that ends the upload: carried out of nested calls, returned as the outcome. */
class Stop {
  constructor(readonly failure: UploadFailure) {}
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function uploadCard<B>(request: UploadRequest<B>): Promise<UploadOutcome> {
  const policy = request.retry ?? DEFAULT_RETRY;
  const sleep = request.sleep ?? sleepFor;
  const random = request.random ?? Math.random;
  const concurrency = Math.max(1, request.concurrency ?? 4);
  let rollId: string | null = null;

  /** One operation, tried again with backoff while the api cannot be reached. */
  async function call<T>(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<{ data: T; retried: boolean } | { error: ApiFailure; retried: boolean }> {
    for (let attempt = 1; ; attempt++) {
      let answer: GraphQLAnswer<T>;
      try {
        answer = await request.api<T>(query, variables);
      } catch (error) {
        if (attempt >= policy.attempts) {
          throw new Stop({ code: 'UNREACHABLE', message: (error as Error).message });
        }
        await sleep(backoffDelay(attempt, policy, random()));
        continue;
      }
      const first = answer.errors?.[0];
      if (first) {
        const code = first.extensions?.['code'];
        const reason = first.extensions?.['reason'];
        return {
          error: {
            code: typeof code === 'string' ? code : undefined,
            reason: typeof reason === 'string' ? reason : undefined,
            message: first.message,
          },
          retried: attempt > 1,
        };
      }
      return { data: answer.data as T, retried: attempt > 1 };
    }
  }

  const apiFailure = (api: ApiFailure, path?: string): Stop =>
    new Stop({ code: 'API_ERROR', api, message: api.message, ...(path ? { path } : {}) });

  async function findOrCreateRoll(): Promise<string> {
    const found = await call<{
      node: { id?: string; roll?: { id: string; sourceLocation: string | null } | null } | null;
    }>(ROLL_BY_NAME, { productionId: request.productionId, name: request.rollName });
    if ('error' in found) throw apiFailure(found.error);
    if (!found.data.node?.id) {
      throw new Stop({
        code: 'PRODUCTION_NOT_FOUND',
        message: `no production ${request.productionId} that you can reach`,
      });
    }
    const roll = found.data.node.roll;
    if (roll?.sourceLocation) {
      request.journals.remove(request.rollName);
      throw new Stop({
        code: 'ROLL_ALREADY_IMPORTED',
        rollName: request.rollName,
        message: `roll ${request.rollName} was already imported`,
      });
    }
    if (roll) return roll.id;
    const created = await call<{ createRoll: { id: string } }>(CREATE_ROLL, {
      productionId: request.productionId,
      name: request.rollName,
    });
    if ('error' in created) throw apiFailure(created.error);
    return created.data.createRoll.id;
  }

  try {
    rollId = await findOrCreateRoll();
    const id = rollId;
    const described = request.files.map(({ path, size, lastModified }) => ({ path, size, lastModified }));
    const earlier = request.journals.get(request.rollName);
    // A journal of another roll of that name, or of a card that has changed since, is not used.
    let journal =
      earlier?.rollId === id && !mismatch(earlier, request.rollName, described)
        ? earlier
        : newJournal(id, request.rollName, described);
    const save = (next: UploadJournal) => {
      journal = next;
      request.journals.put(next);
    };
    save(journal);
    const total = described.reduce((sum, f) => sum + f.size, 0);
    const alreadySent = sentBytes(journal);
    const inFlight = new Map<number, number>();
    const report = (file: JournalFile) => {
      const loaded = [...inFlight.values()].reduce((sum, n) => sum + n, 0);
      request.onProgress?.({
        file: file.path,
        fileDone: sentOf(journal, file) + loaded,
        fileTotal: file.size,
        done: sentBytes(journal) + loaded,
        total,
        alreadySent,
      });
    };

    /** PUTs one part, retrying; the ETag, or a Stop. */
    async function sendPart(
      file: CardFileSource<B>,
      part: { partNumber: number; url: string },
      body: B,
      abort: AbortController,
    ): Promise<string> {
      // An exception from onProgress is the caller's, not the network's: it is not tried again.
      let callbackError: { error: unknown } | undefined;
      const onLoaded = (bytes: number) => {
        inFlight.set(part.partNumber, bytes);
        try {
          report(file);
        } catch (error) {
          callbackError ??= { error };
          abort.abort();
        }
      };
      for (let attempt = 1; ; attempt++) {
        // Stopped while this part waited to be tried again (another part failed): not sent.
        if (abort.signal.aborted) throw callbackError?.error ?? new Error('stopped');
        let status: number | null = null;
        let why: string;
        try {
          const answer = await request.put(part.url, body, { signal: abort.signal, onLoaded });
          if (callbackError) throw callbackError.error;
          if (answer.ok) return answer.etag;
          status = answer.status;
          why = `HTTP ${answer.status}`;
        } catch (error) {
          if (callbackError) throw callbackError.error;
          if (abort.signal.aborted) throw error;
          why = (error as Error).message;
        }
        inFlight.set(part.partNumber, 0);
        if ((status !== null && !retryableStatus(status)) || attempt >= policy.attempts) {
          throw new Stop({
            code: 'STORE_REFUSED',
            path: file.path,
            partNumber: part.partNumber,
            status,
            message: `the store refused part ${part.partNumber} of ${file.path} (${why}${attempt > 1 ? `, ${attempt} tries` : ''})`,
          });
        }
        await sleep(backoffDelay(attempt, policy, random()));
      }
    }

    /** Sends the parts not in the journal, `concurrency` at a time, reading every part in order. */
    async function sendFile(file: CardFileSource<B>, target: Target) {
      const sent = new Map(sentParts(journal, file.path, target.uploadId).map((p) => [p.partNumber, p.etag]));
      const etags: SentPart[] = [];
      let resumedBytes = 0;
      const abort = new AbortController();
      const running = new Set<Promise<void>>();
      let stopped: { error: unknown } | undefined;
      inFlight.clear();
      for (const part of target.parts) {
        while (running.size >= concurrency && !stopped) await Promise.race(running);
        if (stopped) break;
        const start = (part.partNumber - 1) * target.partSize;
        const end = Math.min(file.size, start + target.partSize);
        const body = await file.read(start, end);
        const known = sent.get(part.partNumber);
        if (known !== undefined) {
          resumedBytes += end - start;
          etags.push({ partNumber: part.partNumber, etag: known });
          continue;
        }
        const task = sendPart(file, part, body, abort)
          .then((etag) => {
            inFlight.delete(part.partNumber);
            const done = { partNumber: part.partNumber, etag };
            // Journalled even after another part failed: the next run need not send it.
            save(withPart(journal, file.path, target.uploadId, target.partSize, done));
            etags.push(done);
            if (!stopped) report(file);
          })
          .catch((error: unknown) => {
            stopped ??= { error };
            abort.abort();
          })
          .finally(() => running.delete(task));
        running.add(task);
      }
      await Promise.all(running);
      inFlight.clear();
      if (stopped) throw stopped.error;
      return { etags: etags.sort((a, b) => a.partNumber - b.partNumber), resumedBytes };
    }

    const outcomes: FileOutcome[] = [];
    for (const file of request.files) {
      const { path, size } = file;
      if (journal.finished.includes(path)) {
        outcomes.push({ path, size, outcome: 'already-uploaded' });
        continue;
      }
      const begun = await call<{ beginUpload: Target }>(BEGIN, { rollId: id, fileName: path, size });
      if ('error' in begun) {
        if (begun.error.reason === REASONS.alreadyUploaded) {
          save(withFinished(journal, path));
          report(file);
          outcomes.push({ path, size, outcome: 'already-uploaded' });
          continue;
        }
        if (begun.error.reason === REASONS.rollAlreadyImported) {
          request.journals.remove(request.rollName);
          throw new Stop({
            code: 'ROLL_ALREADY_IMPORTED',
            rollName: request.rollName,
            message: begun.error.message,
          });
        }
        throw apiFailure(begun.error, path);
      }
      const target = begun.data.beginUpload;
      const { etags, resumedBytes } = await sendFile(file, target);
      const finished = await call(FINISH, { uploadId: target.uploadId, parts: etags });
      // An answer lost on the way and the request tried again: the api had assembled the file.
      const assembledBefore = 'error' in finished && finished.error.reason === REASONS.alreadyUploaded;
      if ('error' in finished && !assembledBefore) {
        if (finished.error.code === 'BAD_USER_INPUT') {
          // The store would not assemble these parts: the next run sends the whole file again.
          save(withoutParts(journal, path));
          throw new Stop({ code: 'ASSEMBLY_FAILED', path, message: finished.error.message });
        }
        throw apiFailure(finished.error, path);
      }
      save(withFinished(journal, path));
      report(file);
      outcomes.push({ path, size, outcome: 'sent', resumedBytes });
    }
    const completed = await call(COMPLETE, { rollId: id });
    if ('error' in completed) {
      // Tried again after a lost answer: the first request had queued the import.
      const queued = completed.retried && completed.error.reason === REASONS.rollAlreadyImported;
      if (!queued) throw apiFailure(completed.error);
    }
    request.journals.remove(request.rollName);
    return { ok: true, rollId: id, files: outcomes };
  } catch (error) {
    if (error instanceof Stop) return { ok: false, rollId, failure: error.failure };
    throw error;
  }
}
