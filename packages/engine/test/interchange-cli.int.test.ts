/** `rushes-engine read` on editorial interchange files: EDL (with --rate), OTIO, ALE with CDL. */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const cli = path.resolve(import.meta.dirname, '../src/cli.ts');
const samples = path.resolve(import.meta.dirname, '../../../../shared/samples');
let scratch: string;

function rushesEngine(...args: string[]): Promise<{ status: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [cli, ...args], { timeout: 60_000 }, (_error, stdout, stderr) =>
      resolve({ status: child.exitCode ?? -1, stdout, stderr }),
    );
  });
}

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'rushes-interchange-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('rushes-engine read (interchange)', () => {
  it('reads a real EDL, counting frames at --rate', async () => {
    const { status, stdout } = await rushesEngine(
      'read',
      path.join(samples, 'edl/otio_screening_example.edl'),
      '--rate',
      '24',
      '--json',
    );
    expect(status).toBe(0);
    const edl = JSON.parse(stdout);
    expect(edl).toMatchObject({ format: 'CMX3600', title: 'Example_Screening.01', rate: '24/1' });
    expect(edl.events).toHaveLength(9);
    expect(edl.events[0].edits[0].frames.sourceIn).toBe(86501);
  });

  it('reads an .otio timeline and an ALE with its CDL columns, by content', async () => {
    const file = path.join(scratch, 'cut.json');
    await writeFile(
      file,
      JSON.stringify({
        OTIO_SCHEMA: 'Timeline.1',
        name: 'cut',
        tracks: {
          OTIO_SCHEMA: 'Stack.1',
          children: [{ OTIO_SCHEMA: 'Track.1', kind: 'Video', children: [] }],
        },
      }),
    );
    const otio = await rushesEngine('read', file, '--json');
    expect(otio.status).toBe(0);
    expect(JSON.parse(otio.stdout)).toMatchObject({
      format: 'OTIO',
      root: { kind: 'Timeline', schema: 'Timeline.1', tracks: { children: [{ trackKind: 'Video' }] } },
      unknownSchemas: [],
    });
    const ale = await rushesEngine('read', path.join(samples, 'ale/otio_sample_cdl.ale'), '--json');
    expect(JSON.parse(ale.stdout).clips[0].cdl).toMatchObject({
      saturation: 0.9,
      slope: [0.8714, 0.9334, 0.9947],
    });
  });

  it('fails with the line number on a broken EDL', async () => {
    const file = path.join(scratch, 'bad.edl');
    await writeFile(
      file,
      'TITLE: bad\nFCM: DROP FRAME\n001  R V C 01:00:00;00 01:00:01;00 01:00:00;00 01:00:01;00\n',
    );
    const { status, stderr } = await rushesEngine('read', file, '--rate', '25');
    expect(status).toBe(1);
    expect(stderr).toMatch(/line 3: drop-frame timecode exists only at 29\.97 and 59\.94/);
  });
});
