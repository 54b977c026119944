'use client';

import { useCallback, useMemo, useState } from 'react';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../../gql/index.ts';
import type { ClipSortField, RollClipFragment, RollPageQuery } from '../../../gql/graphql.ts';
import { SORT_FIELDS, toClipFilter, toSearchParams, type ClipQuery } from '../../../lib/clip-query.ts';
import { clipCount, STATE_LABEL } from '../../../lib/format.ts';
import { useLive } from '../../../lib/live.ts';
import { usePages, type FetchPage, type Page } from '../../../lib/pages.ts';
import { CLIP_PAGE, ROLL_CLIPS, ROLL_PAGE } from '../../../lib/queries.ts';
import { LoadState } from '../../load-error.tsx';
import { ClipFilters } from './clip-filters.tsx';
import { ClipGrid } from './clip-grid.tsx';
import { ClipTable } from './clip-table.tsx';

const SELECTION_ZIP = graphql(`
  query RollSelectionZip($id: ID!, $clipIds: [ID!]) {
    node(id: $id) {
      ... on Roll {
        id
        proxiesZipUrl(profile: "review", clipIds: $clipIds)
      }
    }
  }
`);

/** The most clips one zip link may name (the api's limit). */
const MAX_ZIP_CLIPS = 500;

/** `initial`, `initialClips`: the roll and its first page of clips as the server rendered them. */
export function RollPage({
  id,
  initialQuery,
  initial,
  initialClips,
}: {
  id: string;
  /** Filters, sort and view from the page's URL. */
  initialQuery: ClipQuery;
  initial: RollPageQuery | null;
  initialClips: Page<RollClipFragment> | null;
}) {
  const client = useClient();
  // The URL gave the first query (read by the server); from then on the page owns it and writes it
  // back to the URL (no navigation: nothing is asked of the server).
  const [query, setQueryState] = useState(initialQuery);
  const { filter, problems } = useMemo(() => toClipFilter(query), [query]);
  const setQuery = useCallback((next: ClipQuery) => {
    setQueryState(next);
    const params = toSearchParams(next).toString();
    window.history.replaceState(window.history.state, '', params ? `?${params}` : window.location.pathname);
  }, []);

  const [{ data: fresh, fetching, error }, refetch] = useQuery({ query: ROLL_PAGE, variables: { id } });
  const data = fresh ?? initial ?? undefined;
  const filterKey = JSON.stringify([filter, query.sort, query.direction]);
  const fetchPage = useCallback<FetchPage<RollClipFragment>>(
    async (first, after) => {
      const [filter, field, direction] = JSON.parse(filterKey) as [object, ClipSortField, 'ASC' | 'DESC'];
      const result = await client
        .query(
          ROLL_CLIPS,
          { id, first, after, filter, orderBy: { field, direction } },
          { requestPolicy: 'network-only' },
        )
        .toPromise();
      if (result.error) throw result.error;
      const roll = result.data?.node && 'clips' in result.data.node ? result.data.node : null;
      return roll?.clips ?? { nodes: [], totalCount: 0, pageInfo: { hasNextPage: false } };
    },
    [client, id, filterKey],
  );
  const clips = usePages(fetchPage, CLIP_PAGE, initialClips);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [zipError, setZipError] = useState<string | null>(null);

  const roll = data?.node && 'progress' in data.node ? data.node : null;
  const { refresh: refreshClips } = clips;
  const refresh = useCallback(() => {
    refetch({ requestPolicy: 'network-only' });
    refreshClips();
  }, [refetch, refreshClips]);
  useLive(roll?.production.id, refresh);

  const select = useCallback((ids: string[], on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      for (const clipId of ids) {
        if (on) next.add(clipId);
        else next.delete(clipId);
      }
      return next;
    });
  }, []);

  async function downloadSelection() {
    setZipError(null);
    const result = await client
      .query(SELECTION_ZIP, { id, clipIds: [...selected] }, { requestPolicy: 'network-only' })
      .toPromise();
    const url =
      result.data?.node && 'proxiesZipUrl' in result.data.node ? result.data.node.proxiesZipUrl : null;
    if (result.error || !url) {
      setZipError(
        result.error?.graphQLErrors[0]?.message ??
          result.error?.message ??
          'You may not export from this production.',
      );
      return;
    }
    window.location.assign(url);
  }

  const sortBy = (field: ClipSortField) =>
    setQuery({
      ...query,
      sort: field,
      direction: query.sort === field && query.direction === 'ASC' ? 'DESC' : 'ASC',
    });

  if (error || (fetching && !data)) return <LoadState what="roll" error={error} loading={fetching} />;
  if (!roll) return <p role="alert">No such roll, or not one you can see.</p>;

  const filtered = Object.keys(filter).length > 0;
  const listProps = { clips: clips.nodes, selected, onSelect: select, onNearEnd: clips.loadMore };

  return (
    <section aria-labelledby="roll-title">
      <nav aria-label="Breadcrumb" className="muted">
        <a href="/">Productions</a> /{' '}
        <a href={`/p/${encodeURIComponent(roll.production.code)}`}>{roll.production.name}</a> /
      </nav>
      <h1 id="roll-title">
        Roll <span className="mono">{roll.name}</span>{' '}
        <span className={`badge badge-${roll.state}`}>{STATE_LABEL[roll.state] ?? roll.state}</span>
      </h1>
      {roll.errorMessage ? <p className="bad">{roll.errorMessage}</p> : null}
      <div className="toolbar">
        <span className="muted" aria-live="polite">
          {roll.progress.ready}/{roll.progress.total} ready
          {roll.progress.processing ? ` · ${roll.progress.processing} processing` : ''}
          {roll.progress.failed ? ` · ${roll.progress.failed} failed` : ''}
        </span>
        {/* An ALE holds one frame rate: a roll shot at several gets one link per rate. */}
        {roll.aleExports?.length === 1 ? <a href={roll.aleExports[0]!.url}>Export ALE</a> : null}
        {roll.aleExports && roll.aleExports.length > 1
          ? roll.aleExports.map((ale) => (
              <a key={ale.rate} href={ale.url}>
                Export ALE {ale.rate} ({ale.clips} {ale.clips === 1 ? 'clip' : 'clips'})
              </a>
            ))
          : null}
        {roll.csvUrl ? <a href={roll.csvUrl}>Export CSV</a> : null}
        {roll.proxiesZipUrl && roll.progress.ready > 0 ? (
          <a href={roll.proxiesZipUrl}>Download all proxies (zip)</a>
        ) : null}
      </div>
      <div className="toolbar">
        <label className="inline">
          Filter
          <input
            type="search"
            value={query.text}
            onChange={(e) => setQuery({ ...query, text: e.target.value })}
            placeholder="name, card path, reel…"
          />
        </label>
        <label className="inline">
          Sort
          <select
            value={`${query.sort} ${query.direction}`}
            onChange={(e) => {
              const [sort, direction] = e.target.value.split(' ') as [ClipSortField, 'ASC' | 'DESC'];
              setQuery({ ...query, sort, direction });
            }}
          >
            {SORT_OPTIONS}
          </select>
        </label>
        <div role="group" aria-label="View" className="segmented">
          {(['table', 'grid'] as const).map((view) => (
            <button
              key={view}
              type="button"
              aria-pressed={query.view === view}
              onClick={() => setQuery({ ...query, view })}
            >
              {view === 'table' ? 'Table' : 'Grid'}
            </button>
          ))}
        </div>
      </div>
      <ClipFilters query={query} problems={problems} onChange={setQuery} />
      {selected.size ? (
        <div className="toolbar selection" role="region" aria-label="Selection">
          <strong>{selected.size} selected</strong>
          <button
            type="button"
            onClick={() => void downloadSelection()}
            disabled={selected.size > MAX_ZIP_CLIPS}
          >
            Download proxies of selection (zip)
          </button>
          {selected.size > MAX_ZIP_CLIPS ? (
            <span className="bad small">At most {MAX_ZIP_CLIPS} clips in one zip.</span>
          ) : null}
          <button type="button" className="link" onClick={() => setSelected(new Set())}>
            Clear selection
          </button>
          {zipError ? (
            <p role="alert" className="error">
              {zipError}
            </p>
          ) : null}
        </div>
      ) : null}
      <p className="muted small" aria-live="polite">
        {clips.totalCount === null ? '' : clipCount(clips.totalCount, clips.nodes.length, filtered)}
      </p>
      {clips.error ? <LoadState what="clips" error={clips.error} loading={false} /> : null}
      {clips.nodes.length === 0 ? (
        clips.loading ? (
          <LoadState what="clips" loading />
        ) : (
          <p className="muted">
            {filtered
              ? 'No clip matches these filters.'
              : roll.state === 'failed'
                ? 'This roll holds no clips: its import failed (see above).'
                : 'No clips yet: the card is being imported.'}
          </p>
        )
      ) : query.view === 'grid' ? (
        <ClipGrid {...listProps} />
      ) : (
        <ClipTable {...listProps} query={query} onSort={sortBy} />
      )}
    </section>
  );
}

const SORT_OPTIONS = Object.entries(SORT_FIELDS).flatMap(([field, label]) => [
  <option key={`${field} ASC`} value={`${field} ASC`}>
    {label} ↑
  </option>,
  <option key={`${field} DESC`} value={`${field} DESC`}>
    {label} ↓
  </option>,
]);
