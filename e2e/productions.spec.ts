import { expect, test } from '@playwright/test';

import { ADMIN, checkScreen, signIn, web } from './support.ts';

/** The parts of the page's window the checks read (this tsconfig has no DOM types). */
declare const document: {
  cookie: string;
  body: { insertAdjacentHTML(where: 'beforeend', html: string): void };
  getElementById(id: string): { click(): void };
};
declare const localStorage: Record<string, string>;
declare const window: { injected?: boolean };

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

test('the server renders the signed-in first paint: the productions are there before any script runs', async ({
  browser,
  page,
}) => {
  await page.goto(web());
  await signIn(page);
  await expect(page.getByTestId('production-row')).toHaveCount(1);
  const cookie = (await page.context().cookies()).find((c) => c.name === 'rushes_session');
  expect(cookie).toMatchObject({ sameSite: 'Lax', path: '/', httpOnly: true });

  const noScript = await browser.newContext({ javaScriptEnabled: false });
  await noScript.addCookies([cookie!]);
  const bare = await noScript.newPage();
  await bare.goto(web());
  await expect(bare.getByText(ADMIN.email)).toBeVisible();
  await expect(bare.getByTestId('production-row')).toContainText('Night Shift');
  await expect(bare.getByText('Loading…')).toHaveCount(0);
  await bare.goto(`${web()}/p/NS`);
  await expect(bare.getByRole('heading', { name: /Night Shift/ })).toBeVisible();
  await expect(bare.getByText('No rolls yet')).toBeVisible();
  await noScript.close();

  // The browser takes over the server's page without a hydration complaint.
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  await page.reload();
  await expect(page.getByTestId('production-row')).toContainText('Night Shift');
  await page.waitForLoadState('networkidle');
  expect(errors).toEqual([]);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('form', { name: 'Sign in' })).toBeVisible();
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain('rushes_session');
});

test('the session is out of scripts’ reach, and every page carries a strict CSP with its own nonce', async ({
  page,
}) => {
  const first = await page.goto(web());
  await signIn(page);
  await expect(page.getByTestId('production-row')).toHaveCount(1);

  // The token: in an HttpOnly cookie the browser sends, nowhere a script can read it.
  const token = (await page.context().cookies()).find((c) => c.name === 'rushes_session')?.value;
  expect(token).toMatch(/^rs_/);
  const readable = await page.evaluate(() => ({
    cookie: document.cookie,
    storage: Object.entries(localStorage).map(([key, value]) => `${key}=${value}`),
  }));
  expect(readable.cookie).not.toContain('rushes_session');
  expect(readable.cookie).not.toContain(token!);
  expect(readable.storage.join('\n')).not.toContain(token!);
  expect(await page.content()).not.toContain(token!);

  // A fresh nonce per response, on Next's scripts; no script runs without it.
  const again = await page.reload();
  const policies = [first!, again!].map((response) => response.headers()['content-security-policy'] ?? '');
  const nonces = policies.map(
    (csp) => /script-src 'self' 'nonce-([A-Za-z0-9+/=]+)' 'strict-dynamic'/.exec(csp)?.[1],
  );
  expect(nonces[0]).toBeTruthy();
  expect(nonces[1]).toBeTruthy();
  expect(nonces[0]).not.toBe(nonces[1]);
  expect(policies[1]).toContain("frame-ancestors 'none'");
  expect(policies[1]).toContain("object-src 'none'");
  expect(again!.headers()).toMatchObject({
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
    'referrer-policy': 'same-origin',
  });
  const scripts = page.locator('script');
  expect(await scripts.count()).toBeGreaterThan(0);
  const scriptNonces = await scripts.evaluateAll((elements) =>
    elements.map((e) => (e as { nonce: string }).nonce),
  );
  expect(new Set(scriptNonces)).toEqual(new Set([nonces[1]]));
  // Markup injected into the page cannot run script (an inline handler, as XSS would bring).
  const violations: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') violations.push(message.text());
  });
  const ran = await page.evaluate(() => {
    document.body.insertAdjacentHTML(
      'beforeend',
      '<button id="injected" onclick="window.injected = true">x</button>',
    );
    document.getElementById('injected').click();
    return window.injected === true;
  });
  expect(ran).toBe(false);
  await expect.poll(() => violations.join('\n')).toContain('Content Security Policy');
});

test('the api answers health with the PostgreSQL version', async ({ request }) => {
  const response = await request.post(process.env['E2E_API_URL']!, {
    data: { query: '{ health { ok database } }' },
  });
  const body = await response.json();
  expect(body.data.health.ok).toBe(true);
  expect(body.data.health.database).toMatch(/^PostgreSQL \d+/);
});
