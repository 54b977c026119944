/** A small GraphQL-over-HTTP client for the Rushes api, authenticated with an API key. */

export class RemoteError extends Error {
  override name = 'RemoteError';
  constructor(
    message: string,
    readonly code?: string,
  ) {
    super(message);
  }
}

export interface ApiClient {
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/** `url`: the api's GraphQL endpoint or its base (…/graphql is added when missing). */
export function apiClient(url: string, key: string, fetchImpl: typeof fetch = fetch): ApiClient {
  const endpoint = /\/graphql\/?$/.test(url) ? url : `${url.replace(/\/+$/, '')}/graphql`;
  return {
    async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      let response: Response;
      try {
        response = await fetchImpl(endpoint, {
          method: 'POST',
          headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
          body: JSON.stringify({ query, variables }),
        });
      } catch (error) {
        throw new RemoteError(
          `cannot reach ${endpoint}: ${(error as Error).cause ?? (error as Error).message}`,
        );
      }
      const body = (await response.json().catch(() => undefined)) as
        { data?: T; errors?: { message: string; extensions?: { code?: string } }[] } | undefined;
      const error = body?.errors?.[0];
      if (error) throw new RemoteError(error.message, error.extensions?.code);
      if (!response.ok || !body?.data) throw new RemoteError(`${endpoint} answered HTTP ${response.status}`);
      return body.data;
    },
  };
}
