/**
 * Server side only: a query sent to the api with the (HttpOnly) session cookie's token while the
 * page is rendered, so the first paint holds the data rather than "Loading…". Anything amiss (no
 * cookie, an expired session, the api slow or down) yields null: the page then loads in the
 * browser as it would have anyway.
 */
import type { TypedDocumentNode } from '@graphql-typed-document-node/core';
import { print } from 'graphql';
import { cookies } from 'next/headers';
import { webSettings } from '../settings.ts';
import { SESSION_COOKIE } from './session-cookie.ts';

/** Longer than this and the page is better served without the data. */
const WAIT_MS = 1500;

async function sessionToken(): Promise<string | null> {
  return (await cookies()).get(SESSION_COOKIE)?.value ?? null;
}

export async function serverQuery<Result, Variables>(
  document: TypedDocumentNode<Result, Variables>,
  variables: Variables,
): Promise<Result | null> {
  const token = await sessionToken();
  if (!token) return null;
  try {
    const { RUSHES_API_SERVER_URL, RUSHES_API_URL } = webSettings();
    const response = await fetch(RUSHES_API_SERVER_URL ?? RUSHES_API_URL, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ query: print(document), variables }),
      cache: 'no-store',
      signal: AbortSignal.timeout(WAIT_MS),
    });
    const body = (await response.json()) as { data?: Result; errors?: unknown[] };
    return response.ok && !body.errors && body.data ? body.data : null;
  } catch {
    return null;
  }
}
