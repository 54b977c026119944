/**
 * An upload cut off mid-file, then the page reloaded: the page says what was sent and, given
 * the same folder again, sends only the rest — not the finished file, nor the sent part of the
 * big one — and the roll imports with the bytes of the card.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { adminToken, checkScreen, gql, signIn, web } from './support.ts';

let cardRoot: string;
let card: string;
const big = 'B002C002_261202_R2CD.mov';

test.beforeAll(() => {
  cardRoot = mkdtempSync(path.join(tmpdir(), 'rushes-e2e-resume-'));
  card = path.join(cardRoot, 'B002');
  mkdirSync(card);
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=320x180:rate=25:duration=1'],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-pix_fmt', 'yuv420p'],
    path.join(card, 'B002C001_261202_R2CD.mov'),
  ]);
  // Uncompressed 640×360 4:2:2, 50 frames: 23 MB, three parts of 8 MiB.
  execFileSync('ffmpeg', [
    ...['-v', 'error', '-f', 'lavfi', '-i', 'testsrc2=size=640x360:rate=25:duration=2'],
    ...['-c:v', 'rawvideo', '-pix_fmt', 'uyvy422', path.join(card, big)],
  ]);
});

/** The same card with one file touched since: not to be completed from the first one's parts. */
function changedCopy(): string {
  const copy = path.join(cardRoot, 'changed', 'B002');
  cpSync(card, copy, { recursive: true, preserveTimestamps: true });
  utimesSync(path.join(copy, big), new Date(), new Date(Date.now() + 60_000));
  return copy;
}

test.afterAll(() => rmSync(cardRoot, { recursive: true, force: true }));

test('an upload interrupted mid-file resumes after a reload, sending only what is missing', async ({
  page,
  request,
}, testInfo) => {
  test.setTimeout(180_000);
  expect(statSync(path.join(card, big)).size).toBeGreaterThan(16 * 1024 * 1024);
  const token = await adminToken(request);
  await gql(
    request,
    'mutation { createProduction(input: { name: "Resume", code: "RESUME" }) { id } }',
    {},
    token,
  );
  await page.goto(`${web()}/p/RESUME`);
  await signIn(page);
  await expect(page.getByRole('heading', { name: /Resume/ })).toBeVisible();

  // The network drops once the big file's first part is in, while its other parts are on their
  // way (the client sends parts side by side), and stays down through every retry.
  let firstPartIn!: () => void;
  const firstPart = new Promise<void>((resolve) => (firstPartIn = resolve));
  const bigPart = (url: URL, part: string) =>
    url.pathname.endsWith(`/${big}`) && url.searchParams.get('partNumber') === part;
  page.on('requestfinished', (r) => {
    if (r.method() === 'PUT' && bigPart(new URL(r.url()), '1')) firstPartIn();
  });
  const laterParts = (url: URL) => bigPart(url, '2') || bigPart(url, '3');
  await page.route(laterParts, async (route) => {
    await firstPart;
    await route.abort('connectionreset');
  });
  await page.getByLabel('Card folder').setInputFiles(card);
  await expect(page.getByRole('region', { name: 'Upload a card' }).getByRole('alert')).toHaveText(
    /connection to the store was lost, \d+ tries\); try again to resume\.$/,
    { timeout: 60_000 },
  );
  await page.unroute(laterParts);

  await page.reload();
  const notice = page.getByTestId('interrupted-upload');
  await expect(notice).toContainText('The upload of roll B002 stopped at');
  await expect(notice).toContainText('(1 of 2 files)');
  await expect(page.getByTestId('roll-row').filter({ hasText: 'B002' })).toContainText('Upload not finished');
  await checkScreen(page, testInfo, 'upload-interrupted');

  // A folder of the same name whose big file has changed since is refused, saying why.
  await page.getByLabel('Card folder').setInputFiles(changedCopy());
  await expect(page.getByRole('region', { name: 'Upload a card' }).getByRole('alert')).toHaveText(
    new RegExp(`^${big.replace('.', '\\.')} has changed since the upload started`),
  );

  const puts: string[] = [];
  page.on('request', (r) => {
    if (r.method() === 'PUT') puts.push(new URL(r.url()).searchParams.get('partNumber') ?? '?');
  });
  await page.getByLabel('Card folder').setInputFiles(card);
  const roll = page.getByTestId('roll-row').filter({ hasText: 'B002' });
  await expect(roll.getByText('Ready', { exact: true })).toBeVisible({ timeout: 90_000 });
  // Parts 2 and 3 once each (side by side, so in either order); not part 1, not the small file.
  expect(puts.toSorted()).toEqual(['2', '3']);
  await expect(notice).toHaveCount(0);

  const { clips } = await gql(
    request,
    'query($p: ID!) { clips(productionId: $p, first: 10) { nodes { fileName checksums { algorithm value } } } }',
    { p: (await gql(request, '{ production(code: "RESUME") { id } }', {}, token)).production.id },
    token,
  );
  const stored = clips.nodes.find((c: { fileName: string }) => c.fileName === big);
  const local = execFileSync('xxhsum', ['-H1', path.join(card, big)])
    .toString()
    .split(/\s+/)[0];
  expect(stored.checksums).toContainEqual({ algorithm: 'xxh64', value: local });
});
