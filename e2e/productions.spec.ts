import { expect, test } from '@playwright/test';

const web = () => process.env['E2E_WEB_URL'] ?? 'http://localhost:3000';

test('a producer creates a production and sees it set up, live', async ({ page }, testInfo) => {
  await page.goto(web());
  await expect(page.getByRole('heading', { name: 'Productions' })).toBeVisible();
  await expect(page.getByText('No productions yet')).toBeVisible();

  const form = page.getByRole('form', { name: 'New production' });
  await form.getByLabel('Name').fill('Night Shift');
  await form.getByLabel('Code').fill('ns');
  await expect(form.getByLabel('Code')).toHaveValue('NS');
  await form.getByRole('button', { name: 'Create production' }).click();

  const row = page.getByTestId('production-row').filter({ hasText: 'Night Shift' });
  await expect(row).toContainText('NS');
  // The worker takes the set-up job and the page shows it without a reload.
  await expect(row.getByText('Ready')).toBeVisible();
  await expect(form.getByLabel('Name')).toHaveValue('');
  await page.screenshot({ path: testInfo.outputPath('productions.png'), fullPage: true });

  await page.reload();
  await expect(page.getByTestId('production-row')).toHaveCount(1);
});

test('a duplicate code is refused with a message saying why', async ({ page }) => {
  await page.goto(web());
  const form = page.getByRole('form', { name: 'New production' });
  await form.getByLabel('Name').fill('Night Shift again');
  await form.getByLabel('Code').fill('NS');
  await form.getByRole('button', { name: 'Create production' }).click();
  await expect(form.getByRole('alert')).toHaveText('A production with code NS already exists.');
  await expect(page.getByTestId('production-row')).toHaveCount(1);
});

test('the api answers health with the PostgreSQL version', async ({ request }) => {
  const response = await request.post(process.env['E2E_API_URL']!, {
    data: { query: '{ health { ok database } }' },
  });
  const body = await response.json();
  expect(body.data.health.ok).toBe(true);
  expect(body.data.health.database).toMatch(/^PostgreSQL \d+/);
});
