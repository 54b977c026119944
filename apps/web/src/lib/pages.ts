'use client';

/**
 * A connection read page by page as the list scrolls (a roll can hold thousands of clips; the
 * api serves at most 500 a page). `refresh` re-reads as many as are loaded, for live updates.
 */
import { useCallback, useEffect, useRef, useState } from 'react';

export interface Page<T> {
  nodes: T[];
  totalCount: number;
  pageInfo: { endCursor?: string | null; hasNextPage: boolean };
}

export type FetchPage<T> = (first: number, after: string | null) => Promise<Page<T>>;

interface Pages<T> {
  nodes: T[];
  totalCount: number | null;
  cursor: string | null;
  hasMore: boolean;
  loading: boolean;
  error: Error | null;
}

const API_MAX = 500;

/**
 * `fetchPage` should change identity exactly when the query does: the list then starts over.
 * `initial`: the first page as the server rendered it, shown while the browser reads it again.
 */
export function usePages<T>(fetchPage: FetchPage<T>, pageSize: number, initial?: Page<T> | null) {
  const [state, setState] = useState<Pages<T>>(() => ({
    nodes: initial?.nodes ?? [],
    totalCount: initial?.totalCount ?? null,
    cursor: initial?.pageInfo.endCursor ?? null,
    hasMore: initial?.pageInfo.hasNextPage ?? true,
    loading: !initial,
    error: null,
  }));
  const latest = useRef(state);
  latest.current = state;
  // Each start-over gets a number; answers to an older one are dropped.
  const generation = useRef(0);

  const read = useCallback(
    async (count: number, nodes: T[], cursor: string | null) => {
      const mine = generation.current;
      setState((s) => ({ ...s, loading: true }));
      try {
        let totalCount = latest.current.totalCount ?? 0;
        let hasMore = true;
        while (hasMore && nodes.length < count) {
          const page = await fetchPage(Math.min(API_MAX, count - nodes.length), cursor);
          if (mine !== generation.current) return;
          nodes = [...nodes, ...page.nodes];
          cursor = page.pageInfo.endCursor ?? cursor;
          totalCount = page.totalCount;
          hasMore = page.pageInfo.hasNextPage && page.nodes.length > 0;
        }
        setState({ nodes, totalCount, cursor, hasMore, loading: false, error: null });
      } catch (error) {
        if (mine === generation.current) setState((s) => ({ ...s, loading: false, error: error as Error }));
      }
    },
    [fetchPage],
  );

  useEffect(() => {
    generation.current += 1;
    void read(pageSize, [], null);
  }, [read, pageSize]);

  const loadMore = useCallback(() => {
    const { loading, hasMore, nodes, cursor } = latest.current;
    if (!loading && hasMore) void read(nodes.length + pageSize, nodes, cursor);
  }, [read, pageSize]);

  const refresh = useCallback(() => {
    generation.current += 1;
    void read(Math.max(pageSize, latest.current.nodes.length), [], null);
  }, [read, pageSize]);

  return { ...state, loadMore, refresh };
}
