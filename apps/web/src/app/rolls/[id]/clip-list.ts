'use client';

import { useCallback, useEffect, useLayoutEffect, useState } from 'react';
import type { RollClipFragment } from '../../../gql/graphql.ts';

/**
 * The window as the server assumes it while rendering (and the browser's first render agrees):
 * a desktop window, the page's content column 1,052 px wide.
 */
export const ASSUMED_WINDOW = { width: 1052, height: 900 };

/** What the table and the grid views of a roll's clips both take. */
export interface ClipListProps {
  clips: RollClipFragment[];
  selected: ReadonlySet<string>;
  onSelect: (ids: string[], on: boolean) => void;
  /** Called when the last rows come into view: time to read the next page. */
  onNearEnd: () => void;
}

/**
 * A ref for a list's element and its distance from the top of the document, which the window
 * virtualizer needs; re-measured after each render (filters opening above it move it).
 */
export function useListTop<T extends HTMLElement>(): [(element: T | null) => void, number] {
  const [element, setElement] = useState<T | null>(null);
  const [top, setTop] = useState(0);
  useLayoutEffect(() => {
    if (!element) return;
    const measured = Math.round(element.getBoundingClientRect().top + window.scrollY);
    if (measured !== top) setTop(measured);
  });
  const ref = useCallback((node: T | null) => setElement(node), []);
  return [ref, top];
}

/** Asks for more once the last item drawn is within `margin` of the end of what is loaded. */
export function useNearEnd(lastIndex: number | undefined, count: number, onNearEnd: () => void, margin = 20) {
  useEffect(() => {
    if (lastIndex !== undefined && lastIndex >= count - margin) onNearEnd();
  }, [lastIndex, count, onNearEnd, margin]);
}
