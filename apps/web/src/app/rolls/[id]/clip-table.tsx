'use client';

import { useWindowVirtualizer } from '@tanstack/react-virtual';
import type { ClipSortField } from '../../../gql/graphql.ts';
import type { ClipQuery } from '../../../lib/clip-query.ts';
import { bytes } from '../../../lib/format.ts';
import { ScrubThumb } from '../../scrub-thumb.tsx';
import { ClipState } from './clip-state.tsx';
import { ASSUMED_WINDOW, useListTop, useNearEnd, type ClipListProps } from './clip-list.ts';
import { TableScroll } from '../../table-scroll.tsx';

/** Thumbnail 90 px + padding 2 × 10 px + the border. */
const ROW_HEIGHT = 111;

/** The roll's clips as a table; only the rows near the viewport are in the page. */
export function ClipTable(
  props: ClipListProps & { query: ClipQuery; onSort: (field: ClipSortField) => void },
) {
  const { clips, selected, onSelect, onNearEnd, query, onSort } = props;
  const [list, top] = useListTop<HTMLTableSectionElement>();
  const rows = useWindowVirtualizer({
    count: clips.length,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    scrollMargin: top,
    initialRect: ASSUMED_WINDOW,
  });
  const items = rows.getVirtualItems();
  const last = items.at(-1);
  useNearEnd(last?.index, clips.length, onNearEnd);
  const before = items[0] ? items[0].start - top : 0;
  const after = last ? rows.getTotalSize() - (last.end - top) : 0;

  const header = (label: string, field: ClipSortField) => (
    <th
      scope="col"
      aria-sort={query.sort === field ? (query.direction === 'ASC' ? 'ascending' : 'descending') : 'none'}
    >
      <button type="button" className="link sort" onClick={() => onSort(field)}>
        {label}
        {query.sort === field ? (query.direction === 'ASC' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
  const allSelected = clips.length > 0 && clips.every((c) => selected.has(c.id));

  return (
    <TableScroll label="Clips">
      <table className="grid clips">
        <thead>
          <tr>
            <th scope="col" className="pick">
              <input
                type="checkbox"
                aria-label={`Select all ${clips.length} clips shown`}
                checked={allSelected}
                onChange={() =>
                  onSelect(
                    clips.map((c) => c.id),
                    !allSelected,
                  )
                }
              />
            </th>
            <th scope="col">
              <span className="visually-hidden">Thumbnail</span>
            </th>
            {header('Clip', 'NAME')}
            <th scope="col">State</th>
            {header('Timecode', 'START_TIMECODE')}
            <th scope="col" className="wide-only">
              Camera
            </th>
            <th scope="col" className="wide-only">
              Picture
            </th>
            {header('Size', 'SIZE')}
          </tr>
        </thead>
        <tbody ref={list}>
          {before > 0 ? <tr aria-hidden="true" style={{ height: before }} /> : null}
          {items.map((item) => {
            const clip = clips[item.index]!;
            return (
              <tr key={clip.id} data-testid="clip-row" data-index={item.index} ref={rows.measureElement}>
                <td className="pick">
                  <input
                    type="checkbox"
                    aria-label={`Select ${clip.fileName}`}
                    checked={selected.has(clip.id)}
                    onChange={(e) => onSelect([clip.id], e.target.checked)}
                  />
                </td>
                <td className="thumb">
                  <ScrubThumb
                    thumbnail={clip.thumbnail?.downloadUrl}
                    strip={clip.strip?.downloadUrl}
                    index={clip.stripIndex?.downloadUrl}
                  />
                </td>
                <td>
                  <a href={`/clips/${clip.id}`} className="mono">
                    {clip.fileName}
                  </a>
                </td>
                <td>
                  <ClipState clip={clip} />
                </td>
                <td className="mono">
                  {clip.startTimecode ?? '—'}
                  {clip.endTimecode ? ` – ${clip.endTimecode}` : ''}
                </td>
                <td className="wide-only">{clip.camera ?? '—'}</td>
                <td className="wide-only">
                  {clip.width && clip.height ? `${clip.width}×${clip.height}` : '—'} {clip.codec ?? ''}
                </td>
                <td className="nowrap">{bytes(clip.sizeBytes)}</td>
              </tr>
            );
          })}
          {after > 0 ? <tr aria-hidden="true" style={{ height: after }} /> : null}
        </tbody>
      </table>
    </TableScroll>
  );
}
