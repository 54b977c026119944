/**
 * `rushes ingest --api`: a card from another machine through a real api (and a real worker
 * importing it) with the built CLI, and interrupted runs resumed from the upload journal.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { hashFile } from '@rushes/engine';
import type { PutPart } from '@rushes/upload-client';
import { fetchPut } from '@rushes/upload-client/http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TestApi } from '../../api/test/support/api.ts';
import { startApiWithWorker, type ApiWithWorker } from '../../api/test/support/api-worker.ts';
import { makeGoodCard } from '../../worker/test/support/card.ts';
import { apiClient } from '../src/remote/api-client.ts';
import { fileJournals, journalFolder } from '../src/remote/file-journals.ts';
import { remoteIngest } from '../src/remote/remote-ingest.ts';

let running: ApiWithWorker;
let api: TestApi;
let productionId: string;
let card: string;
const temp: string[] = [];

beforeAll(async () => {
  running = await startApiWithWorker('cli-remote-test');
  ({ api, productionId } = running);
  card = await makeGoodCard(2, '320x180', 1);
  temp.push(card);
}, 120_000);

afterAll(async () => {
  await running?.stop();
  for (const dir of temp) await rm(dir, { recursive: true, force: true });
});

const gql: ApiWithWorker['gql'] = (query, variables) => running.gql(query, variables);

describe('rushes ingest --api: a card from another machine', () => {
  const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
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
    // The store refuses the second file (an expired URL, say) once the first is up.
    const put = fetchPut();
    const refuseSecond: PutPart<Uint8Array> = async (url, body, options) =>
      decodeURIComponent(url).includes(files[1]!) ? { ok: false, status: 403 } : put(url, body, options);
    await expect(
      remoteIngest(apiClient(api.origin, key), {
        dir: card,
        productionCode: 'UP',
        rollName: 'E001',
        journalFolder: journals(),
        put: refuseSecond,
      }),
    ).rejects.toThrow(`the store refused part 1 of ${files[1]} (HTTP 403)`);
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
    // The connection drops once the big file's first part is up.
    await expect(
      remoteIngest(apiClient(api.origin, key), {
        dir,
        productionCode: 'UP',
        rollName: 'G001',
        journalFolder: journals(),
        // One part at a time, so exactly one part of the big file is up when the line drops.
        concurrency: 1,
        onBytes: (done) => {
          if (done >= small + part) throw new Error('network down');
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
    // D001 was uploaded and imported by the first test.
    const again = await rushes('ingest', card, '--api', api.origin, '--production', 'UP', '--roll', 'D001');
    expect(again).toMatchObject({
      status: 1,
      stderr: 'rushes: roll D001 was already imported; use a new roll name\n',
    });
  });
});
