import { expect, test } from '@playwright/test';

import { ADMIN, checkScreen, web } from './support.ts';

test('the first visitor creates the administrator account, then a production, and sees it set up live', async ({
  page,
}, testInfo) => {
  await page.goto(web());
  await expect(page.getByRole('heading', { name: 'Welcome to Rushes' })).toBeVisible();
  const account = page.getByRole('form', { name: 'Create account' });
  await account.getByLabel('E-mail').fill(ADMIN.email);
  await account.getByLabel('Password').fill(ADMIN.password);
  await checkScreen(page, testInfo, 'first-run');
  await account.getByRole('button', { name: 'Create account' }).click();
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
  await checkScreen(page, testInfo, 'productions');

  await page.reload();
  await expect(page.getByTestId('production-row')).toHaveCount(1);
});

test('a wrong password is refused; the right one signs in; a duplicate code is refused with a message saying why', async ({
  page,
}) => {
  await page.goto(web());
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('E-mail').fill(ADMIN.email);
  await form.getByLabel('Password').fill('not the password');
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(form.getByRole('alert')).toHaveText('That e-mail and password do not match an account.');
  await form.getByLabel('Password').fill(ADMIN.password);
  await form.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText(ADMIN.email)).toBeVisible();
  const production = page.getByRole('form', { name: 'New production' });
  await production.getByLabel('Name').fill('Night Shift again');
  await production.getByLabel('Code').fill('NS');
  await production.getByRole('button', { name: 'Create production' }).click();
  await expect(production.getByRole('alert')).toHaveText('A production with code NS already exists.');
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
