/**
 * Issue #19's acceptance in a real browser: a 29.97 drop-frame clip shows the same timecode in
 * the player, the API and the ALE at every frame.
 *
 * The clip (ffmpeg, 20 frames from 01:00:59;24) crosses into minute 01:01, where drop-frame
 * counting skips ;00 and ;01. Each frame carries its own index in its picture (five black or
 * white stripes, bit i of the frame number in stripe i), so the test reads which frame the
 * browser's decoder has on screen, not only what time the player believes it is at. It is
 * uploaded as a card folder through the production page, as a person does, and stepped with the
 * player's own frame-step button and arrow keys.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test, type Locator } from '@playwright/test';
import { adminToken, gql, signIn, web } from './support.ts';

const FRAMES = 20;
const STRIPES = 5; // 2^5 > FRAMES
const FILE = 'A001C001_DF.mov';

/**
 * What a 29.97 DF clock reads from 01:00:59;24, written out by hand: ;24–;29, then 01:01:00
 * starts at ;02 (minute 01 is not a multiple of ten). The last one is the first label after the
 * clip: its End.
 */
const LABELS = [
  '01:00:59;24',
  '01:00:59;25',
  '01:00:59;26',
  '01:00:59;27',
  '01:00:59;28',
  '01:00:59;29',
  '01:01:00;02',
  '01:01:00;03',
  '01:01:00;04',
  '01:01:00;05',
  '01:01:00;06',
  '01:01:00;07',
  '01:01:00;08',
  '01:01:00;09',
  '01:01:00;10',
  '01:01:00;11',
  '01:01:00;12',
  '01:01:00;13',
  '01:01:00;14',
  '01:01:00;15',
  '01:01:00;16',
];

/** The parts of an HTMLVideoElement the test reads (this tsconfig has no DOM types). */
type Video = {
  currentTime: number;
  duration: number;
  readyState: number;
  seeking: boolean;
  videoWidth: number;
  videoHeight: number;
  clientWidth: number;
  clientHeight: number;
};

/**
 * The frame number the browser shows, read from the stripes in a screenshot of the player
 * (decoded by ffmpeg: the proxy comes from the api's origin, so the page itself may not read
 * its pixels). Only the picture is read, not the bars around it when the player's box is wider
 * or taller; the row sampled is a fifth of the way down, clear of the controls and burn-ins.
 */
async function frameOnScreen(video: Locator): Promise<number | null> {
  const box = await video.evaluate((v: Video) => {
    if (v.seeking || v.readyState < 2 || !v.videoWidth) return null;
    const scale = Math.min(v.clientWidth / v.videoWidth, v.clientHeight / v.videoHeight);
    const [width, height] = [v.videoWidth * scale, v.videoHeight * scale];
    return { x: (v.clientWidth - width) / 2, y: (v.clientHeight - height) / 2, width, height };
  });
  if (!box) return null;
  const crop = [box.width, 2, box.x, box.y + box.height / 5].map(Math.round).join(':');
  const levels = execFileSync(
    'ffmpeg',
    [
      ...['-v', 'error', '-f', 'png_pipe', '-i', 'pipe:0'],
      ...['-vf', `crop=${crop},scale=${STRIPES}:1:flags=area,format=gray`],
      ...['-f', 'rawvideo', 'pipe:1'],
    ],
    { input: await video.screenshot() },
  );
  return [...levels].reduce((frame, level, bit) => (level > 128 ? frame + 2 ** bit : frame), 0);
}

/** Splits an ALE into its column names and data rows. */
function parseAle(text: string): Record<string, string>[] {
  const lines = text.split(/\r?\n/);
  const columns = lines[lines.indexOf('Column') + 1]!.split('\t');
  const data = lines.slice(lines.indexOf('Data') + 1).filter((line) => line.trim() !== '');
  return data.map((line) => {
    const cells = line.split('\t');
    return Object.fromEntries(columns.map((name, i) => [name, cells[i] ?? '']));
  });
}

let cardRoot: string;
let card: string;

test.beforeAll(() => {
  cardRoot = mkdtempSync(path.join(tmpdir(), 'rushes-e2e-df-'));
  card = path.join(cardRoot, 'A001');
  mkdirSync(card);
  const stripe = `floor(X*${STRIPES}/W)`;
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi'],
    ...[
      '-i',
      `nullsrc=size=320x180:rate=30000/1001,` +
        `geq=lum='if(bitand(N\\,pow(2\\,${stripe}))\\,235\\,16)':cb=128:cr=128,format=yuv420p`,
    ],
    ...['-frames:v', String(FRAMES), '-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    ...['-timecode', LABELS[0]!, path.join(card, FILE)],
  ]);
});

test.afterAll(() => rmSync(cardRoot, { recursive: true, force: true }));

test('a 29.97 DF clip shows the same timecode in the player, the API and the ALE at every frame', async ({
  page,
  request,
}) => {
  // Ingest, render and a screenshot decoded per frame checked: 43 s alone, over 60 s beside a
  // loaded Vitest run (CI mode). A bound for finishing, not a speed goal.
  test.setTimeout(180_000);
  const token = await adminToken(request);
  await gql(
    request,
    'mutation { createProduction(input: { name: "Drop frame", code: "DF2997" }) { id } }',
    {},
    token,
  );
  await page.goto(`${web()}/p/DF2997`);
  await signIn(page);
  await expect(page.getByRole('heading', { name: /Drop frame/ })).toBeVisible();
  await page.getByLabel('Card folder').setInputFiles(card);
  const roll = page.getByTestId('roll-row').filter({ hasText: 'A001' });
  await expect(roll.getByText('Ready', { exact: true })).toBeVisible({ timeout: 120_000 });

  await roll.getByRole('link', { name: 'A001' }).click();
  const ale = parseAle(
    await (
      await request.get((await page.getByRole('link', { name: 'Export ALE' }).getAttribute('href'))!)
    ).text(),
  );
  await page.getByRole('link', { name: FILE }).click();
  await expect(page).toHaveURL(/\/clips\//);

  const clipId = decodeURIComponent(page.url().split('/clips/')[1]!);
  const { node: clip } = await gql(
    request,
    'query($id: ID!) { node(id: $id) { ... on Clip { startTimecode endTimecode durationFrames frameRate { num den } } } }',
    { id: clipId },
    token,
  );
  expect(clip).toEqual({
    startTimecode: LABELS[0],
    endTimecode: LABELS[FRAMES],
    durationFrames: FRAMES,
    frameRate: { num: 30000, den: 1001 },
  });
  expect(ale).toHaveLength(1);
  expect(ale[0]).toMatchObject({ Name: 'A001C001_DF', Start: LABELS[0], End: LABELS[FRAMES], FPS: '29.97' });

  const video = page.getByTestId('proxy-player');
  const shown = page.getByLabel('Source timecode');
  const forward = page.getByRole('button', { name: 'Frame forward' });
  const back = page.getByRole('button', { name: 'Frame back' });
  /** The picture is frame `n` and the player labels it as the clip's n-th frame. */
  const expectFrame = async (n: number) => {
    await expect
      .poll(() => frameOnScreen(video), { message: `frame ${n} on screen`, timeout: 5_000 })
      .toBe(n);
    await expect(shown, `the label of frame ${n}`).toHaveText(LABELS[n]!, { timeout: 5_000 });
  };

  await expect.poll(() => video.evaluate((v: Video) => v.readyState)).toBeGreaterThanOrEqual(2);
  await expectFrame(0);
  expect(await shown.textContent()).toBe(clip.startTimecode);
  // Through the whole clip a frame at a time: the button for the first half, → for the rest.
  for (let n = 1; n < FRAMES; n += 1) {
    if (n < FRAMES / 2) await forward.click();
    else await page.keyboard.press('ArrowRight');
    await expectFrame(n);
  }
  // The clip ends there: one more step stays on its last frame, and so does the end of
  // playback (the time is then the duration, where the API's End begins).
  await forward.click();
  await expectFrame(FRAMES - 1);
  await video.evaluate((v: Video) => {
    v.currentTime = v.duration;
  });
  await expect
    .poll(() => video.evaluate((v: Video) => v.currentTime > 0 && v.currentTime === v.duration))
    .toBe(true);
  await expectFrame(FRAMES - 1);
  // Back across the minute, where ;00 and ;01 do not exist.
  for (let n = FRAMES - 2; n >= 5; n -= 1) {
    if (n % 2) await page.keyboard.press('ArrowLeft');
    else await back.click();
    await expectFrame(n);
  }
});
