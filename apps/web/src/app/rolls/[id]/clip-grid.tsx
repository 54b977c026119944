'use client';

import { useWindowVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useEffect, useState } from 'react';
import { ScrubThumb } from '../../scrub-thumb.tsx';
import { ClipState } from './clip-state.tsx';
import { ASSUMED_WINDOW, useListTop, useNearEnd, type ClipListProps } from './clip-list.ts';

/** A card: 160 px thumbnail + 2 × 8 px padding wide; thumbnail, name, state, timecode high. */
const CARD_WIDTH = 176;
const CARD_HEIGHT = 206;
const GAP = 12;

/** Pure: how many cards fit across `width` pixels (at least one). */
export const columnsFor = (width: number) => Math.max(1, Math.floor((width + GAP) / (CARD_WIDTH + GAP)));

/** The roll's clips as a grid of thumbnails; only the rows of cards near the viewport are in the page. */
export function ClipGrid({ clips, selected, onSelect, onNearEnd }: ClipListProps) {
  const [list, top] = useListTop<HTMLDivElement>();
  const [element, setElement] = useState<HTMLDivElement | null>(null);
  const attach = useCallback(
    (node: HTMLDivElement | null) => {
      list(node);
      setElement(node);
    },
    [list],
  );
  const [columns, setColumns] = useState(() => columnsFor(ASSUMED_WINDOW.width));
  useEffect(() => {
    if (!element) return;
    const observer = new ResizeObserver(([entry]) => setColumns(columnsFor(entry!.contentRect.width)));
    observer.observe(element);
    return () => observer.disconnect();
  }, [element]);
  const rows = useWindowVirtualizer({
    count: Math.ceil(clips.length / columns),
    estimateSize: () => CARD_HEIGHT + GAP,
    overscan: 3,
    scrollMargin: top,
    initialRect: ASSUMED_WINDOW,
  });
  const items = rows.getVirtualItems();
  useNearEnd(items.length ? (items.at(-1)!.index + 1) * columns - 1 : undefined, clips.length, onNearEnd);

  return (
    <div
      ref={attach}
      className="card-grid"
      role="list"
      aria-label="Clips"
      style={{ height: rows.getTotalSize() }}
    >
      {items.map((row) => (
        <div
          key={row.key}
          className="card-row"
          style={{
            transform: `translateY(${row.start - top}px)`,
            gridTemplateColumns: `repeat(${columns}, ${CARD_WIDTH}px)`,
          }}
        >
          {clips.slice(row.index * columns, (row.index + 1) * columns).map((clip) => (
            <div key={clip.id} className="clip-card" role="listitem" data-testid="clip-card">
              <ScrubThumb
                thumbnail={clip.thumbnail?.downloadUrl}
                strip={clip.strip?.downloadUrl}
                index={clip.stripIndex?.downloadUrl}
              />
              <label className="inline pick">
                <input
                  type="checkbox"
                  aria-label={`Select ${clip.fileName}`}
                  checked={selected.has(clip.id)}
                  onChange={(e) => onSelect([clip.id], e.target.checked)}
                />
                <a href={`/clips/${clip.id}`} className="mono ellipsis" title={clip.fileName}>
                  {clip.fileName}
                </a>
              </label>
              <div className="ellipsis">
                <ClipState clip={clip} compact />
              </div>
              <div className="mono small muted">{clip.startTimecode ?? '—'}</div>
            </div>
          ))}
        </div>
      ))}
    </div>
  );
}
