'use client';

import { createClient as createWsClient } from 'graphql-ws';
import { useMemo, type ReactNode } from 'react';
import { cacheExchange, Client, fetchExchange, Provider, subscriptionExchange } from 'urql';
import { useSession } from './session.tsx';

/** ws(s):// URL of the same endpoint. */
export function toWebSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/**
 * One urql client per browser tab and session: HTTP for queries and mutations, graphql-ws for
 * subscriptions, both carrying the session's token. A new session makes a new client, so no
 * cached result of one person is shown to the next.
 */
export function GraphQLProvider({ apiUrl, children }: { apiUrl: string; children: ReactNode }) {
  const { token } = useSession();
  const client = useMemo(() => {
    const authorization = token ? `Bearer ${token}` : undefined;
    const ws =
      typeof window === 'undefined'
        ? null
        : createWsClient({
            url: toWebSocketUrl(apiUrl),
            lazy: true,
            connectionParams: authorization ? { authorization } : {},
          });
    return new Client({
      url: apiUrl,
      // POST every operation: Apollo's CSRF protection refuses simple GET requests from browsers.
      preferGetMethod: false,
      fetchOptions: (): RequestInit => ({
        headers: authorization ? { authorization } : ({} as Record<string, string>),
      }),
      exchanges: [
        cacheExchange,
        fetchExchange,
        ...(ws
          ? [
              subscriptionExchange({
                forwardSubscription: (request) => ({
                  subscribe: (sink) => ({
                    unsubscribe: ws.subscribe({ ...request, query: request.query ?? '' }, sink),
                  }),
                }),
              }),
            ]
          : []),
      ],
    });
  }, [apiUrl, token]);
  return <Provider value={client}>{children}</Provider>;
}
