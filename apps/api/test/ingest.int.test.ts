/**
 * A card into Rushes through the api, as the web app and a remote DIT do it — createRoll,
 * beginUpload, PUT the parts to the signed URLs, finishUpload, completeUpload — and by
 * importRoll from a folder, with a real worker taking the import, verify, probe and renders.
 */
import { execFile } from 'node:child_process';
import { readdir, readFile, rm, mkdtemp, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestApi, type TestApi } from './support/api.ts';
import { makeGoodCard } from '../../worker/test/support/card.ts';
import { startWorker, type RunningWorker } from '../../worker/src/worker.ts';
import { hashFile } from '@rushes/engine';
import { jobNames } from '@rushes/schema/jobs';
import { apiClient } from '../../worker/src/remote/api-client.ts';
import { fileJournals, journalFolder } from '../../worker/src/remote/file-journals.ts';
import { remoteIngest } from '../../worker/src/remote/remote-ingest.ts';
import { waitFor } from '../../../test/support/wait.ts';

let api: TestApi;
let worker: RunningWorker;
let owner: string;
let productionId: string;
let card: string;
const temp: string[] = [];

beforeAll(async () => {
  api = await startTestApi();
  worker = await startWorker(
    {
      DATABASE_URL: api.database.url,
      WORKER_CONCURRENCY: 2,
      WORKER_QUEUES: [...jobNames],
      WORKER_ID: 'api-ingest-test',
    },
    pino({ level: process.env['PIPELINE_LOG'] ?? 'silent' }),
    { store: api.store },
  );
  owner = await api.signUp('dit@example.com');
  const { body } = await api.graphql(
    'mutation { createProduction(input: { name: "Upload", code: "UP" }) { id } }',
    {},
    owner,
  );
  productionId = body.data.createProduction.id;
  // Cards are made in the temporary folder: the administrator opens it for import.
  const root = await api.graphql(
    'mutation($l: String!) { addImportRoot(input: { location: $l }) { id } }',
    { l: tmpdir() },
    owner,
  );
  expect(root.body.errors).toBeUndefined();
  card = await makeGoodCard(2, '320x180', 1);
  temp.push(card);
}, 120_000);

afterAll(async () => {
  await worker?.stop(5_000);
  await api?.stop();
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const { body } = await api.graphql(query, variables, owner);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
};

const ROLL = `query($id: ID!) { node(id: $id) { ... on Roll { state errorMessage sourceLocation progress { total ready }
  clips(first: 10) { nodes { id fileName state checksums { algorithm value } rendition(name: "proxy:review") { downloadUrl sizeBytes } } } } } }`;

async function untilSettled(rollId: string) {
  return waitFor(
    'the roll to settle',
    async () => {
      const { node } = await gql(ROLL, { id: rollId });
      return ['ready', 'failed', 'partial'].includes(node.state) ? node : undefined;
    },
    90_000,
  );
}

describe('uploading a card through the api', () => {
  it('takes every file in parts, resumes an interrupted upload, and ingests the roll to ready', async () => {
    const { createRoll } = await gql(
      'mutation($p: ID!) { createRoll(input: { productionId: $p, name: "A001" }) { id state } }',
      { p: productionId },
    );
    expect(createRoll.state).toBe('pending');
    const files = (await readdir(card)).sort();
    for (const name of files) {
      const bytes = await readFile(path.join(card, name));
      const begin = `mutation($r: ID!, $f: String!, $s: Float!) { beginUpload(rollId: $r, fileName: $f, size: $s) { uploadId partSize parts { partNumber url } } }`;
      const first = (await gql(begin, { r: createRoll.id, f: `Clips/${name}`, s: bytes.length })).beginUpload;
      // The browser reloads: beginUpload again resumes the same upload with fresh URLs.
      const again = (await gql(begin, { r: createRoll.id, f: `Clips/${name}`, s: bytes.length })).beginUpload;
      expect(again.uploadId).toBe(first.uploadId);
      const parts = [];
      for (const part of again.parts) {
        const slice = bytes.subarray(
          (part.partNumber - 1) * again.partSize,
          part.partNumber * again.partSize,
        );
        const put = await fetch(part.url, { method: 'PUT', body: slice });
        expect(put.status).toBe(200);
        parts.push({ partNumber: part.partNumber, etag: put.headers.get('etag') });
      }
      const { finishUpload } = await gql(
        'mutation($u: ID!, $p: [UploadedPartInput!]!) { finishUpload(uploadId: $u, parts: $p) }',
        { u: first.uploadId, p: parts },
      );
      expect(finishUpload).toBe(bytes.length);
    }
    await gql('mutation($r: ID!) { completeUpload(rollId: $r) { id } }', { r: createRoll.id });
    const roll = await untilSettled(createRoll.id);
    expect(roll).toMatchObject({
      state: 'ready',
      sourceLocation: 'upload',
      progress: { total: 2, ready: 2 },
    });
    expect(roll.clips.nodes.map((c: { fileName: string }) => c.fileName)).toEqual(files);
    const proxy = roll.clips.nodes[0].rendition;
    const download = await fetch(proxy.downloadUrl);
    expect((await download.arrayBuffer()).byteLength).toBe(proxy.sizeBytes);
    // The uploaded copy is gone once the card is under the roll's originals.
    const left = [];
    for await (const o of api.store.list('uploads/')) left.push(o.key);
    expect(left).toEqual([]);
  });

  it('refuses a hidden file, an escaping path and a finish with missing parts, with reasons', async () => {
    const { createRoll } = await gql(
      'mutation($p: ID!) { createRoll(input: { productionId: $p, name: "A002" }) { id } }',
      { p: productionId },
    );
    const begin =
      'mutation($r: ID!, $f: String!) { beginUpload(rollId: $r, fileName: $f, size: 100) { uploadId } }';
    for (const [fileName, reason] of [
      ['.DS_Store', 'is a hidden file'],
      ['../../etc/passwd', '".." segment'],
    ]) {
      const { body } = await api.graphql(begin, { r: createRoll.id, f: fileName }, owner);
      expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'fileName' } });
      expect(body.errors?.[0].message).toContain(reason);
    }
    const started = await gql(begin, { r: createRoll.id, f: 'A002C001.mov' });
    const { body } = await api.graphql(
      'mutation($u: ID!) { finishUpload(uploadId: $u, parts: []) }',
      { u: started.beginUpload.uploadId },
      owner,
    );
    expect(body.errors?.[0].message).toBe('A002C001.mov has 1 parts (1–1); got 0 part(s).');
    const early = await api.graphql(
      'mutation($r: ID!) { completeUpload(rollId: $r) { id } }',
      { r: createRoll.id },
      owner,
    );
    expect(early.body.errors?.[0]).toMatchObject({ extensions: { code: 'CONFLICT' } });
    expect(early.body.errors?.[0].message).toContain('1 file(s) are not finished yet, e.g. A002C001.mov');
  });

  it('refuses a name over 255 bytes or a path over 900 at begin; names and paths at the limits upload whole', async () => {
    const { createRoll } = await gql(
      'mutation($p: ID!) { createRoll(input: { productionId: $p, name: "A003" }) { id } }',
      { p: productionId },
    );
    const begin =
      'mutation($r: ID!, $f: String!, $s: Float!) { beginUpload(rollId: $r, fileName: $f, size: $s) { uploadId parts { partNumber url } } }';
    for (const [fileName, reason] of [
      // Accepted at begin, then ENAMETOOLONG at finish, before the limit was checked.
      [`${'A'.repeat(296)}.mov`, 'a file or folder name may be at most 255 bytes (UTF-8)'],
      [`${'é'.repeat(126)}.mov`, '256 bytes, and a file or folder name may be at most 255 bytes'],
      [
        Array.from({ length: 5 }, () => 'F'.repeat(200)).join('/'),
        'a path on a card may be at most 900 bytes',
      ],
    ]) {
      const { body } = await api.graphql(begin, { r: createRoll.id, f: fileName, s: 4 }, owner);
      expect(body.errors?.[0]).toMatchObject({ extensions: { code: 'BAD_USER_INPUT', field: 'fileName' } });
      expect(body.errors?.[0].message).toContain(reason);
    }
    const longestName = `${'é'.repeat(125)}x.mov`; // 255 bytes
    const longestPath = `${Array.from({ length: 4 }, (_, i) => `${i}${'F'.repeat(199)}`).join('/')}/${'G'.repeat(92)}.mov`;
    for (const fileName of [longestName, longestPath]) {
      const { beginUpload } = await gql(begin, { r: createRoll.id, f: fileName, s: 4 });
      const put = await fetch(beginUpload.parts[0].url, { method: 'PUT', body: 'card' });
      expect(put.status).toBe(200);
      const { finishUpload } = await gql(
        'mutation($u: ID!, $p: [UploadedPartInput!]!) { finishUpload(uploadId: $u, parts: $p) }',
        { u: beginUpload.uploadId, p: [{ partNumber: 1, etag: put.headers.get('etag') }] },
      );
      expect(finishUpload).toBe(4);
    }
  });
});

describe('importing a folder through the api', () => {
  it('imports a card folder the workers can read, to ready', async () => {
    const { importRoll } = await gql(
      'mutation($p: ID!, $l: String!) { importRoll(input: { productionId: $p, name: "B001", location: $l }) { id state } }',
      { p: productionId, l: card },
    );
    const roll = await untilSettled(importRoll.id);
    expect(roll).toMatchObject({ state: 'ready', sourceLocation: card, progress: { total: 2, ready: 2 } });
  });

  it('a folder without media fails the roll with the reason, and a relative path is refused outright', async () => {
    const empty = await mkdtemp(path.join(tmpdir(), 'rushes-empty-'));
    temp.push(empty);
    await writeFile(path.join(empty, 'notes.txt'), 'not media');
    const { importRoll } = await gql(
      'mutation($p: ID!, $l: String!) { importRoll(input: { productionId: $p, name: "C001", location: $l }) { id } }',
      { p: productionId, l: empty },
    );
    const roll = await untilSettled(importRoll.id);
    expect(roll).toMatchObject({ state: 'failed', errorMessage: `${empty} holds no media files` });
    const relative = await api.graphql(
      'mutation($p: ID!) { importRoll(input: { productionId: $p, name: "C002", location: "cards/A001" }) { id } }',
      { p: productionId },
      owner,
    );
    expect(relative.body.errors?.[0]).toMatchObject({
      extensions: { code: 'BAD_USER_INPUT', field: 'location' },
    });
  });

  it('reprocesses a clip in the reprocess lane and deletes a clip with its stored files', async () => {
    const { rolls } = await gql(
      'query($p: ID!) { rolls(productionId: $p) { nodes { name clips { nodes { id tasks { id kind state } renditions { name } } } } } }',
      { p: productionId },
    );
    const b001 = rolls.nodes.find((r: { name: string }) => r.name === 'B001');
    const [first, second] = b001.clips.nodes;
    const { reprocessClips } = await gql(
      'mutation($ids: [ID!]!) { reprocessClips(ids: $ids, profile: review) { id state } }',
      { ids: [first.id] },
    );
    expect(reprocessClips).toEqual([{ id: first.id, state: 'processing' }]);
    await waitFor(
      'the re-render',
      async () => {
        const { node } = await gql('query($id: ID!) { node(id: $id) { ... on Clip { state } } }', {
          id: first.id,
        });
        return node.state === 'ready' ? true : undefined;
      },
      60_000,
    );
    const done = second.tasks.find((t: { kind: string }) => t.kind === 'verify');
    const cancel = await api.graphql(
      'mutation($id: ID!) { cancelTask(id: $id) { id } }',
      { id: done.id },
      owner,
    );
    expect(cancel.body.errors?.[0]).toMatchObject({
      message: 'The task has already succeeded; there is nothing to cancel.',
      extensions: { code: 'CONFLICT' },
    });

    const keysBefore = [];
    for await (const o of api.store.list('')) keysBefore.push(o.key);
    expect(await gql('mutation($id: ID!) { deleteClip(id: $id) }', { id: second.id })).toEqual({
      deleteClip: second.id,
    });
    const keysAfter = [];
    for await (const o of api.store.list('')) keysAfter.push(o.key);
    const secondDbId = Buffer.from(second.id, 'base64url').toString().split(':')[1];
    expect(keysAfter.some((k) => k.includes(secondDbId!))).toBe(false);
    expect(keysBefore.length - keysAfter.length).toBeGreaterThanOrEqual(second.renditions.length + 1);
    const { node } = await gql('query($id: ID!) { node(id: $id) { id } }', { id: second.id });
    expect(node).toBeNull();
  });
});

describe('cancelling a running render', () => {
  it('stops it, and the task stays cancelled whatever its job does after', async () => {
    const long = await makeGoodCard(1, '1920x1080', 12);
    temp.push(long);
    const { importRoll } = await gql(
      'mutation($p: ID!, $l: String!) { importRoll(input: { productionId: $p, name: "LONG1", location: $l }) { id } }',
      { p: productionId, l: long },
    );
    const CLIP = `query($r: ID!) { node(id: $r) { ... on Roll { clips { nodes { id state tasks { id kind state errorCode } } } } } }`;
    const running = await waitFor(
      'the review render to start',
      async () => {
        const { node } = await gql(CLIP, { r: importRoll.id });
        const review = node.clips.nodes[0]?.tasks.find((t: { kind: string }) => t.kind === 'review');
        return review?.state === 'running' ? review : undefined;
      },
      60_000,
    );
    const { cancelTask } = await gql('mutation($id: ID!) { cancelTask(id: $id) { state } }', {
      id: running.id,
    });
    expect(cancelTask.state).toBe('canceled');
    // The worker notices (heartbeat) and aborts ffmpeg; its failure must not overwrite the cancel.
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    const { node } = await gql(CLIP, { r: importRoll.id });
    const review = node.clips.nodes[0].tasks.find((t: { kind: string }) => t.kind === 'review');
    expect(review).toMatchObject({ state: 'canceled', errorCode: null });
    const { node: clip } = await gql(
      'query($id: ID!) { node(id: $id) { ... on Clip { rendition(name: "proxy:review") { id } } } }',
      {
        id: node.clips.nodes[0].id,
      },
    );
    expect(clip.rendition).toBeNull();
  }, 120_000);
});

describe('rushes ingest --api: a card from another machine', () => {
  const cli = fileURLToPath(new URL('../../worker/dist/cli.js', import.meta.url));
  let key: string;
  // The CLI's upload journals: XDG_CACHE_HOME/rushes/uploads.
  let cache: string;
  const journals = () => journalFolder({ XDG_CACHE_HOME: cache });

  function rushes(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
    return new Promise((resolve) => {
      const child = execFile(
        process.execPath,
        [cli, ...args],
        // No database or store settings: the remote CLI needs only the api and a key.
        {
          env: {
            PATH: process.env['PATH'] ?? '',
            RUSHES_API_KEY: key,
            RUSHES_DATA_DIR: '/nonexistent',
            XDG_CACHE_HOME: cache,
          },
          timeout: 120_000,
        },
        (_e, stdout, stderr) => resolve({ status: child.exitCode ?? -1, stdout, stderr }),
      );
    });
  }

  beforeAll(async () => {
    const { createApiKey } = await gql(
      'mutation($p: ID!) { createApiKey(name: "DIT cart", productionIds: [$p], role: coordinator) { secret } }',
      {
        p: productionId,
      },
    );
    key = createApiKey.secret;
    cache = await mkdtemp(path.join(tmpdir(), 'rushes-cache-'));
    temp.push(cache);
  });

  it('uploads the card with its MHL, waits, and reports every clip ready with matching xxh64', async () => {
    const withMhl = await makeGoodCard(2, '320x180', 1);
    temp.push(withMhl);
    const entries = [];
    for (const name of (await readdir(withMhl)).sort()) {
      const { md5 } = await hashFile(path.join(withMhl, name), ['md5']);
      entries.push(`<hash><file>${name}</file><md5>${md5}</md5></hash>`);
    }
    await writeFile(
      path.join(withMhl, 'D001.mhl'),
      `<?xml version="1.0"?><hashlist version="1.1">${entries.join('')}</hashlist>`,
    );
    const run = await rushes(
      'ingest',
      withMhl,
      '--api',
      api.origin,
      '--production',
      'up',
      '--roll',
      'D001',
      '--wait',
      '--json',
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report.files.map((f: { path: string }) => f.path)).toEqual([...(await readdir(withMhl))].sort());
    expect(report.clips.map((c: { state: string }) => c.state)).toEqual(['ready', 'ready']);
    expect(report.mismatches).toEqual([]);
    for (const clip of report.clips) {
      const sent = report.files.find((f: { path: string }) => f.path === clip.path);
      expect(clip.checksums).toContainEqual({ algorithm: 'xxh64', value: sent.xxh64 });
    }
    const { node } = await gql(
      'query($r: ID!) { node(id: $r) { ... on Roll { manifests { format path entryCount } } } }',
      { r: report.rollId },
    );
    expect(node.manifests).toEqual([{ format: 'ascmhl-v1', path: 'D001.mhl', entryCount: 2 }]);
  });

  it('resumes after an interruption: files already sent are skipped, the rest go up', async () => {
    const files = (await readdir(card)).sort();
    const firstSize = (await readFile(path.join(card, files[0]!))).length;
    // The connection drops once the first file is up.
    await expect(
      remoteIngest(apiClient(api.origin, key), {
        dir: card,
        productionCode: 'UP',
        rollName: 'E001',
        journalFolder: journals(),
        onBytes: (done) => {
          if (done > firstSize) throw new Error('network down');
        },
      }),
    ).rejects.toThrow('network down');
    const run = await rushes(
      'ingest',
      card,
      '--api',
      `${api.origin}/graphql`,
      '--production',
      'UP',
      '--roll',
      'E001',
    );
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(
      /^roll E001 \(.+\): 2 files, .* sent, 1 already on the server; the server is importing it/,
    );
  });

  it('resumes inside a file: the parts an interrupted run sent are read for the hash, not sent again', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'rushes-card-'));
    temp.push(dir);
    const ffmpeg = (...args: string[]) =>
      new Promise<void>((resolve, reject) =>
        execFile('ffmpeg', ['-v', 'error', '-f', 'lavfi', ...args], (error) =>
          error ? reject(error) : resolve(),
        ),
      );
    await ffmpeg(
      '-i',
      'testsrc2=size=320x180:rate=25:duration=1',
      '-c:v',
      'mpeg4',
      path.join(dir, 'G001C001.mov'),
    );
    // Uncompressed 640×360 4:2:2, 50 frames: 23 MB, three parts of 8 MiB.
    const big = path.join(dir, 'G001C002.mov');
    await ffmpeg(
      '-i',
      'testsrc2=size=640x360:rate=25:duration=2',
      '-c:v',
      'rawvideo',
      '-pix_fmt',
      'uyvy422',
      big,
    );
    const small = (await readFile(path.join(dir, 'G001C001.mov'))).length;
    const part = 8 * 1024 * 1024;
    // The connection drops while the big file's second part is being read: its first part is up.
    await expect(
      remoteIngest(apiClient(api.origin, key), {
        dir,
        productionCode: 'UP',
        rollName: 'G001',
        journalFolder: journals(),
        onBytes: (done) => {
          if (done > small + part + 1) throw new Error('network down');
        },
      }),
    ).rejects.toThrow('network down');
    const run = await rushes(
      'ingest',
      dir,
      '--api',
      api.origin,
      '--production',
      'UP',
      '--roll',
      'G001',
      '--wait',
      '--json',
    );
    expect(run.stderr).toBe('');
    const report = JSON.parse(run.stdout);
    expect(report.files).toMatchObject([
      { path: 'G001C001.mov', skipped: true },
      { path: 'G001C002.mov', skipped: false, resumedBytes: part },
    ]);
    // The server's hash of the assembled file is the hash of the file on the card.
    const { xxh64 } = await hashFile(big, ['xxh64']);
    expect(report.files[1].xxh64).toBe(xxh64);
    expect(report.clips.find((c: { path: string }) => c.path === 'G001C002.mov').checksums).toContainEqual({
      algorithm: 'xxh64',
      value: xxh64,
    });
    expect(report.mismatches).toEqual([]);
    expect(run.status).toBe(0);
    // Done: the journal of G001 is gone.
    expect(fileJournals(journals(), report.productionId).get('G001')).toBeUndefined();
  }, 120_000);

  it('says what is wrong: a bad key, an unknown production, a roll already imported', async () => {
    const bad = await rushes(
      'ingest',
      card,
      '--api',
      api.origin,
      '--key',
      'rs_key_wrongwrongwrong',
      '--production',
      'UP',
      '--roll',
      'F001',
    );
    expect(bad).toMatchObject({
      status: 1,
      stderr: 'rushes: This API key is unknown, revoked or expired.\n',
    });
    const unknown = await rushes(
      'ingest',
      card,
      '--api',
      api.origin,
      '--production',
      'NOPE',
      '--roll',
      'F001',
    );
    expect(unknown).toMatchObject({
      status: 1,
      stderr: 'rushes: no production NOPE that this key can reach\n',
    });
    const again = await rushes('ingest', card, '--api', api.origin, '--production', 'UP', '--roll', 'B001');
    expect(again).toMatchObject({
      status: 1,
      stderr: 'rushes: roll B001 was already imported; use a new roll name\n',
    });
  });
});
