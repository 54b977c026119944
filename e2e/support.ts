/** Shared by the end-to-end specs: the instance admin, and GraphQL calls to the api under test. */
import type { APIRequestContext, Page } from '@playwright/test';

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
