/**
 * The roll page with a roll far larger than one page of the api (1,500 clips, seeded straight
 * into the database: making them with the worker would take many minutes): only the rows near
 * the viewport are in the document, more are read as you scroll, filters and the view live in
 * the URL, and a half-typed filter is explained rather than sent.
 */
import { expect, test } from '@playwright/test';
import pg from 'pg';
import { adminToken, checkScreen, gql, signIn, web } from './support.ts';

const CLIPS = 1_500;
let rollId: string;

test.beforeAll(async ({ request }) => {
  const token = await adminToken(request);
  const { createProduction } = await gql(
    request,
    'mutation { createProduction(input: { name: "Long Days", code: "LONG" }) { id } }',
    {},
    token,
  );
  const { createRoll } = await gql(
    request,
    'mutation($p: ID!) { createRoll(input: { productionId: $p, name: "B001" }) { id } }',
    { p: createProduction.id },
    token,
  );
  rollId = createRoll.id;
  const uuid = (globalId: string) => Buffer.from(globalId, 'base64url').toString().split(':')[1]!;
  const client = new pg.Client({ connectionString: process.env['E2E_DATABASE_URL'] });
  await client.connect();
  try {
    // Every tenth clip failed; one clip a second of timecode from 10:00:00:00 at 25 fps.
    await client.query(
      `insert into clips (roll_id, production_id, file_name, original_path, size_bytes, state,
                          error_code, error_message, reel, start_timecode, start_frame,
                          duration_frames, fps_num, fps_den, width, height, codec)
       select $1, $2, name, 'Clips/' || name, 1000 * n,
              (case when n % 10 = 0 then 'failed' else 'ready' end)::processing_state,
              case when n % 10 = 0 then 'CORRUPT' end,
              case when n % 10 = 0 then 'the file ends in the middle of a frame' end,
              'B001', '10:' || lpad((n / 60)::text, 2, '0') || ':' || lpad((n % 60)::text, 2, '0') || ':00',
              900000 + n * 25, 25, 25, 1, 1920, 1080, 'prores'
         from generate_series(1, $3::int) n,
              lateral (select 'B001C' || lpad(n::text, 4, '0') || '.mov' as name) named`,
      [uuid(rollId), uuid(createProduction.id), CLIPS],
    );
  } finally {
    await client.end();
  }
});

test('a roll of 1,500 clips: a window of rows, more on scrolling, filters and view in the URL, rendered on the server', async ({
  browser,
  page,
}, testInfo) => {
  await page.goto(`${web()}/rolls/${encodeURIComponent(rollId)}`);
  await signIn(page);
  const rows = page.getByTestId('clip-row');
  await expect(page.getByText(`1,500 clips · 200 loaded, more as you scroll`)).toBeVisible();
  await expect(rows.first()).toContainText('B001C0001.mov');
  expect(await rows.count()).toBeLessThan(40);

  // Scrolling to the end reads the rest, page by page; the document still holds a window.
  await expect(async () => {
    await page.mouse.wheel(0, 20_000);
    await expect(page.getByText('B001C1500.mov')).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 60_000 });
  await expect(page.getByText(`1,500 clips`, { exact: true })).toBeVisible();
  expect(await rows.count()).toBeLessThan(40);
  await checkScreen(page, testInfo, 'roll-large', { fullPage: false });

  // Failed clips only, with their reasons; the filter survives a reload.
  await page.getByText('Filters', { exact: true }).click();
  await page.getByRole('group', { name: 'State' }).getByLabel('Failed').check();
  await expect(page.getByText('150 clips match')).toBeVisible();
  await expect(rows.first()).toContainText('CORRUPT: the file ends in the middle of a frame');
  await expect(page).toHaveURL(/state=failed/);
  await page.reload();
  await expect(page.getByText('150 clips match')).toBeVisible();
  await expect(page.getByRole('group', { name: 'State' }).getByLabel('Failed')).toBeChecked();

  // A half-typed timecode is explained, not sent; a whole one filters.
  const timecode = page.getByLabel('Contains timecode');
  await timecode.fill('10:00:40');
  await expect(page.getByText('A timecode is HH:MM:SS:FF')).toBeVisible();
  await expect(timecode).toHaveAttribute('aria-invalid', 'true');
  await timecode.fill('10:00:40:10');
  await expect(page.getByText('1 clip matches')).toBeVisible();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('B001C0040.mov');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByText(`1,500 clips · 200 loaded`)).toBeVisible();

  // The grid: cards for the rows near the viewport only.
  await page.getByRole('button', { name: 'Grid' }).click();
  await expect(page.getByTestId('clip-card').first()).toContainText('B001C0001.mov');
  const cards = await page.getByTestId('clip-card').count();
  expect(cards).toBeGreaterThan(4);
  expect(cards).toBeLessThan(120);
  await checkScreen(page, testInfo, 'roll-large-grid', { fullPage: false });

  // The server renders the roll and the first page of clips of a filtered link.
  const noScript = await browser.newContext({ javaScriptEnabled: false });
  await noScript.addCookies((await page.context().cookies()).filter((c) => c.name === 'rushes_session'));
  const bare = await noScript.newPage();
  await bare.goto(`${web()}/rolls/${encodeURIComponent(rollId)}?state=failed&sort=NAME&dir=DESC`);
  await expect(bare.getByRole('heading', { name: /Roll B001/ })).toBeVisible();
  await expect(bare.getByText('150 clips match')).toBeVisible();
  await expect(bare.getByTestId('clip-row').first()).toContainText('B001C1500.mov');
  await noScript.close();
});
