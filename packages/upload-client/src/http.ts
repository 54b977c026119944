/**
 * The upload client's transports over fetch (Node and browsers): GraphQL over HTTP to the api,
 * and part PUTs to the store's signed URLs.
 */
import type { GraphQLAnswer, GraphQLRequest, PutPart } from './upload.ts';

/** Thrown when the api cannot be reached or answers without a GraphQL body (e.g. a 502). */
export class UnreachableError extends Error {
  override name = 'UnreachableError';
}

/** `url`: the api's GraphQL endpoint or its base (…/graphql is added when missing). */
export function graphqlEndpoint(url: string): string {
  return /\/graphql\/?$/.test(url) ? url : `${url.replace(/\/+$/, '')}/graphql`;
}

/**
 * GraphQL over HTTP POST with an API key (`Authorization: Bearer …`). Resolves with the answer's
 * data and errors; throws UnreachableError when there is no GraphQL answer to read.
 */
export function graphqlOverHttp(url: string, key: string, fetchImpl: typeof fetch = fetch): GraphQLRequest {
  const endpoint = graphqlEndpoint(url);
  return async (query, variables) => {
    let response: Response;
    try {
      response = await fetchImpl(endpoint, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
        body: JSON.stringify({ query, variables }),
      });
    } catch (error) {
      throw new UnreachableError(
        `cannot reach ${endpoint}: ${(error as Error).cause ?? (error as Error).message}`,
      );
    }
    const body = (await response.json().catch(() => undefined)) as GraphQLAnswer<never> | undefined;
    if (!body || (!body.data && !body.errors?.length)) {
      throw new UnreachableError(`${endpoint} answered HTTP ${response.status}`);
    }
    return body;
  };
}

/** A part PUT with fetch: no progress within a part (fetch reports none for request bodies). */
export const fetchPut =
  (fetchImpl: typeof fetch = fetch): PutPart<Uint8Array | Blob> =>
  async (url, body, { signal }) => {
    const response = await fetchImpl(url, { method: 'PUT', body, signal });
    await response.arrayBuffer().catch(() => undefined);
    return response.ok
      ? { ok: true, etag: response.headers.get('etag') ?? '' }
      : { ok: false, status: response.status };
  };
