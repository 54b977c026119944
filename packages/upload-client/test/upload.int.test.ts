/**
 * The upload client against a real api (PostgreSQL, the local store behind signed part URLs):
 * parts in parallel, retries with backoff, resume after a restart from the journal, and every
 * outcome told apart by the api's codes. Faults are injected around the real transport: a
 * dropped connection before a part is sent, a 503, a refusal.
 */
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from '../../../apps/api/test/support/api.ts';
import { fetchPut, graphqlOverHttp } from '../src/http.ts';
import { journalsIn, type Journals } from '../src/journal.ts';
import { uploadCard, type CardFileSource, type PutPart, type UploadRequest } from '../src/upload.ts';

const MiB = 1024 * 1024;
let api: TestApi;
let token: string;
let productionId: string;

beforeAll(async () => {
  api = await startTestApi();
  token = await api.signUp('dit@example.com');
  const { body } = await api.graphql(
    'mutation { createProduction(input: { name: "Client", code: "CL" }) { id } }',
    {},
    token,
  );
  productionId = body.data.createProduction.id;
});

afterAll(async () => {
  await api?.stop();
});

/** A card in memory, counting reads of each part. */
function card(files: Record<string, number>) {
  const reads: string[] = [];
  const sources: (CardFileSource<Uint8Array> & { bytes: Buffer })[] = Object.entries(files).map(
    ([path, size]) => {
      const bytes = randomBytes(size);
      return {
        path,
        size,
        lastModified: 1,
        bytes,
        read: (start: number, end: number) => {
          reads.push(`${path}@${start / (8 * MiB)}`);
          return bytes.subarray(start, end);
        },
      };
    },
  );
  return { sources, reads };
}

/** Journals in memory: what a file or localStorage would keep across a restart. */
function memoryJournals(): { journals: () => Journals; text: () => string | null } {
  let text: string | null = null;
  const slot = { read: () => text, write: (next: string | null) => void (text = next) };
  return { journals: () => journalsIn(slot), text: () => text };
}

type Fault = (partNumber: number, attempt: number, path: string) => 'drop' | 503 | 403 | undefined;

/** The real PUT with faults injected in front of it; counts tries and parts in flight. */
function faultyPut(fault: Fault = () => undefined) {
  const real = fetchPut();
  const tries = new Map<string, number>();
  let inFlight = 0;
  const stats = { maxInFlight: 0, sent: [] as string[] };
  const put: PutPart<Uint8Array> = async (url, body, options) => {
    const { pathname, searchParams } = new URL(url);
    const partNumber = Number(searchParams.get('partNumber') ?? /partNumber=(\d+)/.exec(url)?.[1]);
    const path = decodeURIComponent(pathname).split('/').slice(-2).join('/');
    const id = `${path}#${partNumber}`;
    const attempt = (tries.get(id) ?? 0) + 1;
    tries.set(id, attempt);
    const injected = fault(partNumber, attempt, path);
    if (injected === 'drop') throw new Error('socket hang up');
    if (injected) return { ok: false, status: injected };
    inFlight += 1;
    stats.maxInFlight = Math.max(stats.maxInFlight, inFlight);
    try {
      const answer = await real(url, body, options);
      if (answer.ok) stats.sent.push(id);
      return answer;
    } finally {
      inFlight -= 1;
    }
  };
  return { put, tries, stats };
}

function request(
  rollName: string,
  files: CardFileSource<Uint8Array>[],
  journals: Journals,
  put: PutPart<Uint8Array>,
  more: Partial<UploadRequest<Uint8Array>> = {},
): UploadRequest<Uint8Array> {
  const sleeps: number[] = [];
  return {
    api: graphqlOverHttp(api.origin, token),
    put,
    productionId,
    rollName,
    files,
    journals,
    sleep: async (ms) => void sleeps.push(ms),
    random: () => 0.5,
    ...more,
  };
}

/** The bytes the store assembled for a card path (uploads/<roll>/<path>). */
async function stored(path: string): Promise<Buffer> {
  for await (const { key } of api.store.list('uploads/')) {
    if (key.endsWith(`/${path}`)) {
      const chunks: Buffer[] = [];
      for await (const chunk of (await api.store.get(key)).stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    }
  }
  throw new Error(`${path} is not in the store`);
}

describe('uploadCard', () => {
  it('sends every part, up to `concurrency` at once, and the store holds the card byte for byte', async () => {
    const { sources, reads } = card({ 'T1/A001C001.mov': 20 * MiB, 'T1/A001C001.xml': 1000 });
    const { put, stats } = faultyPut();
    const { journals } = memoryJournals();
    const progress: number[] = [];
    const outcome = await uploadCard(
      request('T1', sources, journals(), put, {
        concurrency: 3,
        onProgress: (p) => progress.push(p.done),
      }),
    );
    expect(outcome).toMatchObject({
      ok: true,
      files: [
        { path: 'T1/A001C001.mov', outcome: 'sent', resumedBytes: 0 },
        { path: 'T1/A001C001.xml', outcome: 'sent', resumedBytes: 0 },
      ],
    });
    expect(stats.maxInFlight).toBe(3);
    // Every part read once, in order.
    expect(reads).toEqual([
      'T1/A001C001.mov@0',
      'T1/A001C001.mov@1',
      'T1/A001C001.mov@2',
      'T1/A001C001.xml@0',
    ]);
    expect(progress.at(-1)).toBe(20 * MiB + 1000);
    for (const source of sources) expect((await stored(source.path)).equals(source.bytes)).toBe(true);
    // Done: the roll's import is queued and its journal is gone.
    expect(journals().get('T1')).toBeUndefined();
  });

  it('tries a part again after a dropped connection and a 503, waiting with backoff', async () => {
    const { sources } = card({ 'T2/A002C001.mov': 9 * MiB });
    const { put, tries } = faultyPut((part, attempt) =>
      part === 2 && attempt === 1 ? 'drop' : part === 2 && attempt === 2 ? 503 : undefined,
    );
    const sleeps: number[] = [];
    const outcome = await uploadCard(
      request('T2', sources, memoryJournals().journals(), put, { sleep: async (ms) => void sleeps.push(ms) }),
    );
    expect(outcome.ok).toBe(true);
    expect(tries.get('T2/A002C001.mov#2')).toBe(3);
    expect(tries.get('T2/A002C001.mov#1')).toBe(1);
    // Full jitter at random 0.5: half of 500 ms, then half of 1,000 ms.
    expect(sleeps).toEqual([250, 500]);
    expect((await stored('T2/A002C001.mov')).equals(sources[0]!.bytes)).toBe(true);
  });

  it('gives up after the last try (STORE_REFUSED), and does not try a refused part (403) again', async () => {
    const { sources } = card({ 'T3/A003C001.mov': 1000 });
    const dropping = faultyPut(() => 'drop');
    const sleeps: number[] = [];
    const gaveUp = await uploadCard(
      request('T3', sources, memoryJournals().journals(), dropping.put, {
        retry: { attempts: 3, baseMs: 100, maxMs: 1000 },
        sleep: async (ms) => void sleeps.push(ms),
      }),
    );
    expect(gaveUp).toMatchObject({
      ok: false,
      failure: { code: 'STORE_REFUSED', path: 'T3/A003C001.mov', partNumber: 1, status: null },
    });
    expect(dropping.tries.get('T3/A003C001.mov#1')).toBe(3);
    expect(sleeps).toEqual([50, 100]);
    const refusing = faultyPut(() => 403);
    const refused = await uploadCard(request('T3', sources, memoryJournals().journals(), refusing.put));
    expect(refused).toMatchObject({ ok: false, failure: { code: 'STORE_REFUSED', status: 403 } });
    expect(refusing.tries.get('T3/A003C001.mov#1')).toBe(1);
  });

  it('does not try a part again once another part has stopped the file', async () => {
    const { sources } = card({ 'T3b/A003C002.mov': 9 * MiB });
    // Part 1 drops and waits to be tried again; meanwhile part 2 is refused, which ends the upload.
    const { put, tries } = faultyPut((part) => (part === 1 ? 'drop' : 403));
    const outcome = await uploadCard(
      request('T3b', sources, memoryJournals().journals(), put, {
        sleep: (ms) => new Promise((resolve) => setTimeout(resolve, 50 + ms)),
      }),
    );
    expect(outcome).toMatchObject({
      ok: false,
      failure: { code: 'STORE_REFUSED', path: 'T3b/A003C002.mov', partNumber: 2, status: 403 },
    });
    expect(tries.get('T3b/A003C002.mov#2')).toBe(1);
    expect(tries.get('T3b/A003C002.mov#1')).toBe(1);
  });

  it('resumes after a restart: journalled parts are read (for a hash) but not sent again', async () => {
    const { sources, reads } = card({ 'T4/A004C001.xml': 1000, 'T4/A004C002.mov': 17 * MiB });
    const kept = memoryJournals();
    // The first run: the store refuses the big file's third part.
    const first = faultyPut((part, _attempt, path) =>
      path.endsWith('C002.mov') && part === 3 ? 403 : undefined,
    );
    const stopped = await uploadCard(request('T4', sources, kept.journals(), first.put, { concurrency: 1 }));
    expect(stopped).toMatchObject({ ok: false, failure: { code: 'STORE_REFUSED', partNumber: 3 } });
    expect(kept.journals().get('T4')).toMatchObject({ finished: ['T4/A004C001.xml'] });
    // A restart: a new client over the same journals.
    reads.length = 0;
    const second = faultyPut();
    const resumed = await uploadCard(request('T4', sources, kept.journals(), second.put));
    expect(resumed).toMatchObject({
      ok: true,
      files: [
        { path: 'T4/A004C001.xml', outcome: 'already-uploaded' },
        { path: 'T4/A004C002.mov', outcome: 'sent', resumedBytes: 16 * MiB },
      ],
    });
    expect(second.stats.sent).toEqual(['T4/A004C002.mov#3']);
    expect(reads).toEqual(['T4/A004C002.mov@0', 'T4/A004C002.mov@1', 'T4/A004C002.mov@2']);
    expect((await stored('T4/A004C002.mov')).equals(sources[1]!.bytes)).toBe(true);
  });

  it('skips a file the api says is ALREADY_UPLOADED when the journal is lost (another machine)', async () => {
    const { sources } = card({ 'T5/A005C001.xml': 1000, 'T5/A005C002.mov': 1000 });
    const first = faultyPut((_part, _attempt, path) => (path.endsWith('C002.mov') ? 403 : undefined));
    await uploadCard(request('T5', sources, memoryJournals().journals(), first.put));
    const second = faultyPut();
    const outcome = await uploadCard(request('T5', sources, memoryJournals().journals(), second.put));
    expect(outcome).toMatchObject({
      ok: true,
      files: [
        { path: 'T5/A005C001.xml', outcome: 'already-uploaded' },
        { path: 'T5/A005C002.mov', outcome: 'sent' },
      ],
    });
    expect(second.stats.sent).toEqual(['T5/A005C002.mov#1']);
  });

  it('answers ROLL_ALREADY_IMPORTED for a roll imported before, and drops its stale journal', async () => {
    const { sources } = card({ 'T1/A001C001.mov': 1000 });
    const kept = memoryJournals();
    kept.journals().put({ rollId: 'x', rollName: 'T1', files: [], finished: [], parts: {}, updatedAt: 0 });
    const outcome = await uploadCard(request('T1', sources, kept.journals(), faultyPut().put));
    expect(outcome).toMatchObject({ ok: false, failure: { code: 'ROLL_ALREADY_IMPORTED', rollName: 'T1' } });
    expect(kept.text()).toBeNull();
  });

  it('rejects with the exception onProgress threw, without trying the part again', async () => {
    const { sources } = card({ 'T6/A006C001.mov': 1000 });
    const { put, tries } = faultyPut();
    await expect(
      uploadCard(
        request('T6', sources, memoryJournals().journals(), put, {
          onProgress: (p) => {
            if (p.done > 0) throw new Error('network down');
          },
        }),
      ),
    ).rejects.toThrow('network down');
    expect(tries.get('T6/A006C001.mov#1')).toBe(1);
  });

  it('is UNREACHABLE when the api does not answer after every try', async () => {
    const sleeps: number[] = [];
    const outcome = await uploadCard({
      ...request('T7', card({ 'a.mov': 1 }).sources, memoryJournals().journals(), faultyPut().put),
      api: graphqlOverHttp('http://127.0.0.1:9', token),
      retry: { attempts: 2, baseMs: 100, maxMs: 100 },
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(outcome).toMatchObject({ ok: false, rollId: null, failure: { code: 'UNREACHABLE' } });
    expect(outcome.ok === false && outcome.failure.message).toMatch(
      /^cannot reach http:\/\/127\.0\.0\.1:9\/graphql/,
    );
    expect(sleeps).toEqual([50]);
  });
});
