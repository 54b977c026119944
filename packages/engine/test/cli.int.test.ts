/** The rushes-engine CLI as a DIT runs it: exit codes, JSON output, errors on stderr. */
import { execFile } from 'node:child_process';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
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

/** Test media, made with the real ffmpeg. */
const ffmpeg = (...args: string[]) => promisify(execFile)('ffmpeg', ['-v', 'error', ...args]);

beforeAll(async () => {
  scratch = await mkdtemp(path.join(tmpdir(), 'rushes-cli-'));
});
afterAll(() => rm(scratch, { recursive: true, force: true }));

describe('rushes-engine', () => {
  it('verifies a real ASC MHL history (exit 0) and reports JSON', async () => {
    const { status, stdout } = await rushesEngine(
      'verify',
      path.join(samples, 'mhl_v2/scenario_03/file_server/A002R2EC'),
      '--json',
    );
    expect(status).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ kind: 'ascmhl-v2', ok: true, counts: { ok: 3 } });
  });

  it('fails verification (exit 1) and names the changed file', async () => {
    const folder = path.join(scratch, 'card');
    await cp(path.join(samples, 'mhl_v1/mhl_verify_sha1'), folder, { recursive: true });
    await writeFile(path.join(folder, 'file2.txt'), 'x'.repeat(218));
    const { status, stdout } = await rushesEngine('verify', folder);
    expect(status).toBe(1);
    expect(stdout).toMatch(/MISMATCH\s+file2\.txt: sha1 is/);
    expect(stdout.trim().split('\n').at(-1)).toBe('FAILED');
  });

  it('creates an ASC MHL generation, then verifies it', async () => {
    const folder = path.join(scratch, 'fresh');
    await cp(path.join(samples, 'mhl_v1/mhl_verify_md5'), folder, { recursive: true });
    const created = await rushesEngine('mhl', 'create', folder, '--algo', 'xxh128', '--json');
    expect(created.status).toBe(0);
    expect(JSON.parse(created.stdout)).toMatchObject({ sequence: 1 });
    const verified = await rushesEngine('verify', folder, '--json');
    expect(JSON.parse(verified.stdout)).toMatchObject({ kind: 'ascmhl-v2', ok: true, counts: { ok: 3 } });
  });

  it('hashes with the algorithms asked for', async () => {
    const { stdout } = await rushesEngine(
      'hash',
      path.join(samples, 'mhl_v1/mhl_verify_md5/file0.txt'),
      '--algo',
      'md5',
      '--json',
    );
    expect(JSON.parse(stdout)).toMatchObject({ md5: '91cae4eeb20d47ca70abbbf058a74e80' });
  });

  it('reads a legacy MHL to JSON', async () => {
    const { stdout } = await rushesEngine(
      'read',
      path.join(samples, 'mhl_v1/mhl_verify_xxhash64be/xxhash64be.mhl'),
    );
    expect(JSON.parse(stdout)).toMatchObject({
      format: 'ascmhl-v1',
      entries: [{ path: 'file0.txt' }, {}, {}],
    });
  });

  it('reads a CDL saved as .cc and an ALE, by their content', async () => {
    const cc = await rushesEngine('read', path.join(samples, 'cdl/ocio_cdl_test_ASC_SOP.cc'));
    expect(JSON.parse(cc.stdout)).toMatchObject({
      kind: 'ColorCorrection',
      corrections: [{ saturation: 0.42 }],
    });
    const ale = await rushesEngine('read', path.join(samples, 'ale/otio_sample_cdl.ale'));
    expect(JSON.parse(ale.stdout).rows).toHaveLength(4);
  });

  it('probes a real BWF and reports codes for files it cannot use', async () => {
    const wav = await rushesEngine('probe', path.join(samples, 'bwf/sounddevices_A101_1.WAV'), '--json');
    expect(wav.status).toBe(0);
    expect(JSON.parse(wav.stdout)[0].metadata.time.startTimecode.value).toBe('12:39:59:00');
    const text = path.join(scratch, 'notes.txt');
    await writeFile(text, 'not media');
    const bad = await rushesEngine('validate', text);
    expect(bad).toMatchObject({ status: 1 });
    expect(bad.stdout).toMatch(/^NOT_MEDIA: notes\.txt is not a media file/);
  });

  it('probes a folder: an image sequence as one clip, other files one by one', async () => {
    const folder = path.join(scratch, 'mixed');
    await cp(path.join(samples, 'bwf/sounddevices_A101_1.WAV'), path.join(folder, 'A101_1.WAV'), {
      recursive: true,
    });
    await ffmpeg(
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=160x90:rate=24:duration=0.2',
      '-start_number',
      '1001',
      path.join(folder, 'plate.%04d.exr'),
    );
    const { status, stdout } = await rushesEngine('probe', folder, '--json');
    expect(status).toBe(0);
    const results = JSON.parse(stdout) as {
      file: string;
      metadata: { time: { durationFrames?: { value: number } } };
    }[];
    expect(results.map((r) => path.basename(r.file))).toEqual(['plate.%04d.exr', 'A101_1.WAV']);
    expect(results[0]!.metadata.time.durationFrames?.value).toBe(5);
  });

  it('explains usage errors (exit 2)', async () => {
    const { status, stderr } = await rushesEngine('frobnicate');
    expect(status).toBe(2);
    expect(stderr).toContain('unknown command "frobnicate"');
    expect((await rushesEngine('hash', 'x', '--algo', 'crc32')).stderr).toContain(
      'unknown hash algorithm "crc32"',
    );
  });
  it('renders a proxy with a look and images, and lists colour spaces', async () => {
    const clip = path.join(scratch, 'A002C001.mov');
    await ffmpeg(
      '-f',
      'lavfi',
      '-i',
      'testsrc2=size=320x180:rate=25:duration=1',
      '-c:v',
      'prores_ks',
      '-timecode',
      '10:00:00:00',
      clip,
    );
    const look = path.join(scratch, 'look.cdl');
    await writeFile(
      look,
      '<ColorDecisionList><ColorDecision><ColorCorrection id="warm"><SOPNode><Slope>1.1 1 0.9</Slope><Offset>0 0 0</Offset><Power>1 1 1</Power></SOPNode></ColorCorrection></ColorDecision></ColorDecisionList>',
    );
    const out = path.join(scratch, 'proxies');
    const proxy = await rushesEngine(
      'proxy',
      clip,
      '--profile',
      'premiere',
      '--look',
      look,
      '--input-colorspace',
      'panasonic_vlog_vgamut',
      '--out',
      out,
      '--json',
    );
    expect(proxy.status).toBe(0);
    expect(JSON.parse(proxy.stdout)).toMatchObject({
      color: 'panasonic_vlog_vgamut + look → ACES 1.0 SDR Video, Rec.709',
      files: [{ kind: 'proxy', path: path.join(out, 'A002C001.premiere.mov') }],
    });
    const images = await rushesEngine('images', clip, '--out', out, '--json');
    expect((JSON.parse(images.stdout) as { files: { kind: string }[] }).files.map((f) => f.kind)).toEqual([
      'poster',
      'thumbnail',
      'strip',
      'strip-index',
      'strip-vtt',
    ]);
    const spaces = await rushesEngine('colorspaces', '--json');
    expect((JSON.parse(spaces.stdout) as { id: string }[]).map((c) => c.id)).toContain('bmd_film_gen5');
    const wrong = await rushesEngine('proxy', clip, '--profile', 'dnxhd', '--out', out);
    expect([wrong.status, wrong.stderr.split('\n')[0]]).toEqual([
      2,
      'unknown profile "dnxhd" (review, avid, premiere)',
    ]);
    const unknownSpace = await rushesEngine('proxy', clip, '--input-colorspace', 'logc9', '--out', out);
    expect(unknownSpace.status).toBe(2);
    expect(unknownSpace.stderr).toMatch(/unknown colour space "logc9"/);
  });
});
