/** Shared by the end-to-end specs: the instance admin, and GraphQL calls to the api under test. */
import AxeBuilder from '@axe-core/playwright';
import { expect, type APIRequestContext, type Page, type TestInfo } from '@playwright/test';

export const web = () => process.env['E2E_WEB_URL'] ?? 'http://localhost:3000';
export const apiUrl = () => process.env['E2E_API_URL'] ?? 'http://localhost:4000/graphql';

export const ADMIN = { email: 'producer@example.com', password: 'a long enough password' };

export async function gql(
  request: APIRequestContext,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
): Promise<any> {
  const response = await request.post(apiUrl(), {
    data: { query, variables },
    headers: token ? { authorization: `Bearer ${token}` } : {},
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

/** The admin's session token: signs in, or creates the account when this spec runs first. */
export async function adminToken(request: APIRequestContext): Promise<string> {
  const { setupRequired } = await gql(request, '{ setupRequired }');
  const mutation = setupRequired
    ? 'mutation($e: String!, $p: String!) { signUp(email: $e, password: $p) { token } }'
    : 'mutation($e: String!, $p: String!) { signIn(email: $e, password: $p) { token } }';
  const data = await gql(request, mutation, { e: ADMIN.email, p: ADMIN.password });
  return (data.signUp ?? data.signIn).token;
}

/** Signs in through the web app's form, as a person would. */
export async function signIn(page: Page, email = ADMIN.email, password = ADMIN.password): Promise<void> {
  const form = page.getByRole('form', { name: 'Sign in' });
  await form.getByLabel('E-mail').fill(email);
  await form.getByLabel('Password').fill(password);
  await form.getByRole('button', { name: 'Sign in' }).click();
}

/** The parts of the page's window the checks read (this tsconfig has no DOM types). */
declare const document: { documentElement: { scrollWidth: number } };
declare const PerformanceObserver: new (callback: unknown) => {
  observe(options: { type: string; buffered: boolean }): void;
  takeRecords(): { value: number; hadRecentInput: boolean }[];
};

/**
 * One screen, checked the way a demanding user would look at it, and saved as an artifact:
 * no error thrown or logged since it loaded (a hydration mismatch, a failed request),
 * no serious or critical accessibility violation (axe-core: labels, contrast, roles, names),
 * no layout shift worth noticing since the page loaded (thumbnails and data arriving), and on a
 * phone-sized window nothing wider than the screen. Screenshots at both sizes.
 */
export async function checkScreen(
  page: Page,
  testInfo: TestInfo,
  name: string,
  { fullPage = true } = {},
): Promise<void> {
  const errors = [
    ...(await page.pageErrors({ filter: 'since-navigation' })).map((e) => e.message),
    ...(await page.consoleMessages({ filter: 'since-navigation' }))
      .filter((m) => m.type() === 'error')
      .map((m) => m.text()),
  ];
  expect(errors, `errors on ${name}`).toEqual([]);

  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
  expect(serious, `accessibility of ${name}`).toEqual([]);

  const shift = await page.evaluate(() => {
    const observer = new PerformanceObserver(() => {});
    observer.observe({ type: 'layout-shift', buffered: true });
    return observer
      .takeRecords()
      .filter((entry) => !entry.hadRecentInput)
      .reduce((sum, entry) => sum + entry.value, 0);
  });
  expect(shift, `cumulative layout shift of ${name}`).toBeLessThan(0.05);
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage });

  const size = page.viewportSize();
  await page.setViewportSize({ width: 390, height: 844 });
  // Layouts that follow their width (the clip grid) settle a frame or two after a resize.
  await expect
    .poll(() => page.evaluate(() => document.documentElement.scrollWidth), {
      message: `width of ${name} on a 390 px wide phone`,
      timeout: 3_000,
    })
    .toBeLessThanOrEqual(390);
  await page.screenshot({ path: testInfo.outputPath(`${name}-phone.png`), fullPage });
  if (size) await page.setViewportSize(size);
}
