/**
 * Issue #19's acceptance for timecode: a 29.97 drop-frame clip shows the same timecode in the
 * player, the API and the ALE at every frame. A real clip (ffmpeg, 40 frames from 01:00:59;20,
 * across the minute where 29.97 DF skips ;00 and ;01) goes through a real worker; the player's
 * display function is fed the presentation time of each frame of the real proxy.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { parseAle } from '@rushes/engine/sidecar';
import { jobNames } from '@rushes/schema/jobs';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { waitFor } from '../../../test/support/wait.ts';
import { playerTimecode } from '../../web/src/lib/timecode.ts';
import { startWorker, type RunningWorker } from '../../worker/src/worker.ts';
import { startTestApi, type TestApi } from './support/api.ts';

const exec = promisify(execFile);
const FRAMES = 40;

/**
 * The labels a 29.97 DF clock shows from 01:00:59;20 for FRAMES + 1 frames, written out by
 * counting (not by @rushes/timecode): ;20–;29, then minute 01:01 starts at ;02.
 */
function expectedLabels(): string[] {
  const labels: string[] = [];
  let [s, f] = [59, 20];
  let minute = 0;
  while (labels.length <= FRAMES) {
    const mm = String(minute).padStart(2, '0');
    labels.push(`01:${mm}:${String(s).padStart(2, '0')};${String(f).padStart(2, '0')}`);
    f += 1;
    if (f === 30) {
      f = 0;
      s += 1;
      if (s === 60) {
        s = 0;
        minute += 1;
        if (minute % 10 !== 0) f = 2;
      }
    }
  }
  return labels;
}

let api: TestApi;
let worker: RunningWorker;
let owner: string;
let card: string;

const gql = async (query: string, variables: Record<string, unknown> = {}) => {
  const { body } = await api.graphql(query, variables, owner);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
};

beforeAll(async () => {
  card = await mkdtemp(path.join(tmpdir(), 'rushes-df-card-'));
  await exec('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=30000/1001'],
    ...['-frames:v', String(FRAMES), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-timecode', '01:00:59;20', path.join(card, 'A001C001_DF.mov')],
  ]);
  api = await startTestApi();
  worker = await startWorker(
    {
      DATABASE_URL: api.database.url,
      WORKER_CONCURRENCY: 2,
      WORKER_QUEUES: [...jobNames],
      WORKER_ID: 'api-timecode-test',
    },
    pino({ level: process.env['PIPELINE_LOG'] ?? 'silent' }),
    { store: api.store },
  );
  owner = await api.signUp('editor@example.com');
  await gql('mutation($l: String!) { addImportRoot(input: { location: $l }) { id } }', { l: tmpdir() });
}, 120_000);

afterAll(async () => {
  await worker?.stop(5_000);
  await api?.stop();
  if (card) await rm(card, { recursive: true, force: true });
});

describe('a 29.97 drop-frame clip', () => {
  it('shows the same timecode in the player, the API and the ALE at every frame', async () => {
    const { createProduction } = await gql(
      'mutation { createProduction(input: { name: "Drop frame", code: "DF" }) { id } }',
    );
    const { importRoll } = await gql(
      'mutation($p: ID!, $l: String!) { importRoll(input: { productionId: $p, name: "A001", location: $l }) { id } }',
      { p: createProduction.id, l: card },
    );
    const roll = await waitFor(
      'the roll to settle',
      async () => {
        const { node } = await gql(
          `query($id: ID!) { node(id: $id) { ... on Roll { state aleUrl clips(first: 1) { nodes {
            id startTimecode endTimecode durationFrames frameRate { num den }
            metadata { time { dropFrame { value } } }
            rendition(name: "proxy:review") { downloadUrl } } } } } }`,
          { id: importRoll.id },
        );
        return ['ready', 'failed', 'partial'].includes(node.state) ? node : undefined;
      },
      90_000,
    );
    expect(roll.state).toBe('ready');
    const clip = roll.clips.nodes[0];
    const labels = expectedLabels();
    expect(clip).toMatchObject({
      startTimecode: labels[0], // 01:00:59;20
      endTimecode: labels[FRAMES], // 01:01:01;02, the first frame after the clip
      durationFrames: FRAMES,
      frameRate: { num: 30000, den: 1001 },
      metadata: { time: { dropFrame: { value: true } } },
    });

    const ale = parseAle(await (await fetch(roll.aleUrl)).text());
    expect(ale.rows).toHaveLength(1);
    expect(ale.rows[0]).toMatchObject({ Start: clip.startTimecode, End: clip.endTimecode, FPS: '29.97' });

    // The player is given the proxy's own presentation times, frame by frame.
    const proxy = path.join(card, 'proxy.mp4');
    await writeFile(proxy, Buffer.from(await (await fetch(clip.rendition.downloadUrl)).arrayBuffer()));
    const { stdout } = await exec('ffprobe', [
      ...[
        '-v',
        'error',
        '-select_streams',
        'v:0',
        '-show_entries',
        'stream=time_base:frame=best_effort_timestamp',
      ],
      ...['-of', 'json', proxy],
    ]);
    const probed = JSON.parse(stdout) as {
      streams: { time_base: string }[];
      frames: { best_effort_timestamp: number }[];
    };
    const [tbNum, tbDen] = probed.streams[0]!.time_base.split('/').map(Number) as [number, number];
    const times = probed.frames.map((f) => (f.best_effort_timestamp * tbNum) / tbDen);
    expect(times).toHaveLength(FRAMES);
    expect(times[0]).toBe(0);

    const shown = times.map((t) => playerTimecode(clip.startTimecode, t, clip.frameRate));
    expect(shown).toEqual(labels.slice(0, FRAMES));
    // First frame: the API's and the ALE's Start; one frame past the last: their End.
    expect(shown[0]).toBe(ale.rows[0]!['Start']);
    const afterLast = times[FRAMES - 1]! + (times[1]! - times[0]!);
    expect(playerTimecode(clip.startTimecode, afterLast, clip.frameRate)).toBe(ale.rows[0]!['End']);
    // Where the old player went wrong: 01:01:00;00 and ;01 do not exist in drop-frame.
    expect(shown).not.toContain('01:01:00;00');
    expect(shown[10]).toBe('01:01:00;02');

    // The API's timecode filter counts the same way: the label at each frame finds the clip,
    // the first label after it does not.
    const find = async (tc: string) =>
      (
        await gql(
          'query($p: ID!, $tc: String!) { clips(productionId: $p, filter: { timecode: $tc }) { totalCount } }',
          {
            p: createProduction.id,
            tc,
          },
        )
      ).clips.totalCount as number;
    expect(await find(shown[0]!)).toBe(1);
    expect(await find(shown[10]!)).toBe(1);
    expect(await find(shown[FRAMES - 1]!)).toBe(1);
    expect(await find(labels[FRAMES]!)).toBe(0);
    expect(await find('01:00:59;19')).toBe(0);
  });
});
