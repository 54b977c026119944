'use client';

import { useEffect, useRef } from 'react';
import { useSubscription } from 'urql';
import { graphql } from '../gql/index.ts';

const ACTIVITY = graphql(`
  subscription Activity($productionId: ID!) {
    productionActivity(productionId: $productionId) {
      type
      clipId
      taskState
      progress
    }
  }
`);

/**
 * Calls `refresh` when something happens in the production (a task starts, progresses, ends),
 * at most every `ms`: pages stay live without a reload and without a query per event.
 */
export function useLive(productionId: string | undefined, refresh: () => void, ms = 400): void {
  const [{ data }] = useSubscription({
    query: ACTIVITY,
    variables: { productionId: productionId ?? '' },
    pause: !productionId,
  });
  const last = useRef(0);
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  useEffect(() => {
    if (!data) return;
    const wait = Math.max(0, last.current + ms - Date.now());
    clearTimeout(timer.current);
    timer.current = setTimeout(() => {
      last.current = Date.now();
      refresh();
    }, wait);
  }, [data, ms, refresh]);
  useEffect(() => () => clearTimeout(timer.current), []);
}
