'use client';

import { createClient as createWsClient } from 'graphql-ws';
import { useMemo, type ReactNode } from 'react';
import { cacheExchange, Client, fetchExchange, Provider, subscriptionExchange } from 'urql';

/** ws(s):// URL of the same endpoint. */
export function toWebSocketUrl(httpUrl: string): string {
  const url = new URL(httpUrl);
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
  return url.toString();
}

/** One urql client per browser tab: HTTP for queries and mutations, graphql-ws for subscriptions. */
export function GraphQLProvider({ apiUrl, children }: { apiUrl: string; children: ReactNode }) {
  const client = useMemo(() => {
    const ws =
      typeof window === 'undefined' ? null : createWsClient({ url: toWebSocketUrl(apiUrl), lazy: true });
    return new Client({
      url: apiUrl,
      // POST every operation: Apollo's CSRF protection refuses simple GET requests from browsers.
      preferGetMethod: false,
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
  }, [apiUrl]);
  return <Provider value={client}>{children}</Provider>;
}
