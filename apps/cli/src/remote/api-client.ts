/** The CLI's GraphQL requests to the Rushes api, authenticated with an API key. */
import { graphqlOverHttp, UnreachableError } from '@rushes/upload-client/http';
import type { GraphQLRequest } from '@rushes/upload-client';

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
  /** The transport the upload client uses. */
  graphql: GraphQLRequest;
  /** One operation's data; RemoteError (with the api's code) when it answered with an error. */
  request<T>(query: string, variables?: Record<string, unknown>): Promise<T>;
}

/** `url`: the api's GraphQL endpoint or its base (…/graphql is added when missing). */
export function apiClient(url: string, key: string, fetchImpl: typeof fetch = fetch): ApiClient {
  const graphql = graphqlOverHttp(url, key, fetchImpl);
  return {
    graphql,
    async request<T>(query: string, variables: Record<string, unknown> = {}): Promise<T> {
      let answer;
      try {
        answer = await graphql<T>(query, variables);
      } catch (error) {
        if (error instanceof UnreachableError) throw new RemoteError(error.message);
        throw error;
      }
      const error = answer.errors?.[0];
      if (error) {
        const code = error.extensions?.['code'];
        throw new RemoteError(error.message, typeof code === 'string' ? code : undefined);
      }
      return answer.data as T;
    },
  };
}
