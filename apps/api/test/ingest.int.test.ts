/**
 * A card into Rushes through the api, as the web app and a remote DIT do it — createRoll,
 * beginUpload, PUT the parts to the signed URLs, finishUpload, completeUpload — and by
 * importRoll from a folder, with a real worker taking the import, verify, probe and renders.
 */
import { readdir, readFile, rm, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from './support/api.ts';
import { startApiWithWorker, type ApiWithWorker } from './support/api-worker.ts';
import { makeGoodCard } from '../../worker/test/support/card.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { fromGlobalId } from '../src/auth/ids.ts';

let api: TestApi;
let owner: string;
let productionId: string;
let card: string;
const temp: string[] = [];

let running: ApiWithWorker;

beforeAll(async () => {
  running = await startApiWithWorker('api-ingest-test');
  ({ api, owner, productionId } = running);
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
  await running?.stop();
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

const gql: ApiWithWorker['gql'] = (query, variables) => running.gql(query, variables);

const ROLL = `query($id: ID!) { node(id: $id) { ... on Roll { state errorMessage sourceLocation progress { total ready }
  clips(first: 10) { nodes { id fileName state checksums { algorithm value } rendition(name: "proxy:review") { downloadUrl sizeBytes } } } } } }`;

/** The roll settled; failing (before the test's own timeout), where it stopped: the roll and its jobs. */
async function untilSettled(rollId: string) {
  try {
    return await waitFor(
      'the roll to settle',
      async () => {
        const { node } = await gql(ROLL, { id: rollId });
        return ['ready', 'failed', 'partial'].includes(node.state) ? node : undefined;
      },
      45_000,
    );
  } catch (error) {
    const id = fromGlobalId(rollId)?.id;
    const pool = api.resources.pool;
    const roll = await pool.query(
      'select state, import_files_total, import_files_done, error_message from rolls where id = $1',
      [id],
    );
    const jobs = await pool.query(
      `select name, state, retry_count, output from pgboss.job
        where data->>'rollId' = $1 or data->>'clipId' in (select id::text from clips where roll_id = $1)
        order by created_on`,
      [id],
    );
    const taskRows = await pool.query(
      'select t.kind, t.state, t.error_code from tasks t join clips c on c.id = t.clip_id where c.roll_id = $1',
      [id],
    );
    throw new Error(
      `${(error as Error).message}\nroll: ${JSON.stringify(roll.rows)}\njobs: ${JSON.stringify(jobs.rows)}\ntasks: ${JSON.stringify(taskRows.rows)}`,
    );
  }
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
      // Begun again once assembled: a machine-readable reason, for clients to skip the file.
      const twice = await api.graphql(
        begin,
        { r: createRoll.id, f: `Clips/${name}`, s: bytes.length },
        owner,
      );
      expect(twice.body.errors?.[0]).toMatchObject({
        message: `Clips/${name} is already uploaded.`,
        extensions: { code: 'CONFLICT', reason: 'ALREADY_UPLOADED' },
      });
    }
    await gql('mutation($r: ID!) { completeUpload(rollId: $r) { id } }', { r: createRoll.id });
    const late = await api.graphql(
      'mutation($r: ID!) { beginUpload(rollId: $r, fileName: "late.mov", size: 1) { uploadId } }',
      { r: createRoll.id },
      owner,
    );
    expect(late.body.errors?.[0]).toMatchObject({
      extensions: { code: 'CONFLICT', reason: 'ROLL_ALREADY_IMPORTED' },
    });
    // The roll by name (an indexed lookup), as upload clients find it.
    const byName = await gql(
      'query($p: ID!) { node(id: $p) { ... on Production { a: roll(name: "A001") { id sourceLocation } none: roll(name: "Z999") { id } } } }',
      { p: productionId },
    );
    expect(byName.node).toEqual({ a: { id: createRoll.id, sourceLocation: 'upload' }, none: null });
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
    // The worker notices (heartbeat) and aborts ffmpeg; its failure must not overwrite the cancel.
    // Its finishing a task someone cancelled says `canceled` again: the second such event.
    const taskId = fromGlobalId(running.id)!.id;
    const canceled = api.events.subscribe(
      (e) => e.type === 'task.updated' && e.taskId === taskId && e.state === 'canceled',
    );
    let canceledEvents = 0;
    void (async () => {
      for await (const _ of canceled) canceledEvents += 1;
    })();
    const { cancelTask } = await gql('mutation($id: ID!) { cancelTask(id: $id) { state } }', {
      id: running.id,
    });
    expect(cancelTask.state).toBe('canceled');
    await waitFor(
      'the worker to end the cancelled render',
      async () => canceledEvents >= 2 || undefined,
      60_000,
    );
    await canceled.return!();
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
