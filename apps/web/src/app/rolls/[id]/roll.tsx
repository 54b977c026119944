'use client';

import { useCallback, useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../../gql/index.ts';
import { bytes, STATE_LABEL } from '../../../lib/format.ts';
import { useLive } from '../../../lib/live.ts';
import { LoadState } from '../../load-error.tsx';
import { ScrubThumb } from '../../scrub-thumb.tsx';

const ROLL = graphql(`
  query RollPage($id: ID!, $text: String, $orderBy: ClipOrder) {
    node(id: $id) {
      ... on Roll {
        id
        name
        kind
        state
        errorMessage
        aleUrl
        csvUrl
        proxiesZipUrl(profile: "review")
        production {
          id
          code
          name
        }
        progress {
          total
          ready
          failed
          processing
          fraction
        }
        clips(first: 500, filter: { text: $text }, orderBy: $orderBy) {
          totalCount
          nodes {
            id
            fileName
            state
            startTimecode
            endTimecode
            camera
            codec
            width
            height
            sizeBytes
            errorCode
            errorMessage
            thumbnail: rendition(name: "thumbnail") {
              downloadUrl
            }
            strip: rendition(name: "strip") {
              downloadUrl
            }
            stripIndex: rendition(name: "strip.json") {
              downloadUrl
            }
            tasks {
              kind
              state
              progress
            }
          }
        }
      }
    }
  }
`);

type SortField = 'NAME' | 'START_TIMECODE' | 'SIZE';

export function RollPage({ id }: { id: string }) {
  const [text, setText] = useState('');
  const [order, setOrder] = useState<{ field: SortField; direction: 'ASC' | 'DESC' }>({
    field: 'NAME',
    direction: 'ASC',
  });
  const [{ data, fetching, error }, refetch] = useQuery({
    query: ROLL,
    variables: { id, text: text.trim() || null, orderBy: order },
  });
  const sortBy = (field: SortField) =>
    setOrder((o) => ({ field, direction: o.field === field && o.direction === 'ASC' ? 'DESC' : 'ASC' }));
  const header = (label: string, field: SortField) => (
    <th
      scope="col"
      aria-sort={order.field === field ? (order.direction === 'ASC' ? 'ascending' : 'descending') : 'none'}
    >
      <button type="button" className="link sort" onClick={() => sortBy(field)}>
        {label}
        {order.field === field ? (order.direction === 'ASC' ? ' ▲' : ' ▼') : ''}
      </button>
    </th>
  );
  const roll = data?.node && 'clips' in data.node ? data.node : null;
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useLive(roll?.production.id, refresh);

  if (error || (fetching && !data)) return <LoadState what="roll" error={error} loading={fetching} />;
  if (!roll) return <p role="alert">No such roll, or not one you can see.</p>;

  return (
    <section aria-labelledby="roll-title">
      <p className="muted">
        <a href="/">Productions</a> /{' '}
        <a href={`/p/${encodeURIComponent(roll.production.code)}`}>{roll.production.name}</a> /
      </p>
      <h1 id="roll-title">
        Roll <span className="mono">{roll.name}</span>{' '}
        <span className={`badge badge-${roll.state}`}>{STATE_LABEL[roll.state] ?? roll.state}</span>
      </h1>
      {roll.errorMessage ? <p className="bad">{roll.errorMessage}</p> : null}
      <div className="toolbar">
        <span className="muted">
          {roll.progress.ready}/{roll.progress.total} ready
          {roll.progress.processing ? ` · ${roll.progress.processing} processing` : ''}
          {roll.progress.failed ? ` · ${roll.progress.failed} failed` : ''}
        </span>
        <label className="inline">
          Filter
          <input value={text} onChange={(e) => setText(e.target.value)} placeholder="name, reel…" />
        </label>
        {roll.aleUrl ? <a href={roll.aleUrl}>Export ALE</a> : null}
        {roll.csvUrl ? <a href={roll.csvUrl}>Export CSV</a> : null}
        {roll.proxiesZipUrl && roll.progress.ready > 0 ? (
          <a href={roll.proxiesZipUrl}>Download proxies (zip)</a>
        ) : null}
      </div>
      {roll.clips.nodes.length === 0 ? (
        <p className="muted">{text ? 'No clip matches.' : 'No clips yet: the card is being imported.'}</p>
      ) : (
        <table className="grid">
          <thead>
            <tr>
              <th scope="col">
                <span className="visually-hidden">Thumbnail</span>
              </th>
              {header('Clip', 'NAME')}
              <th scope="col">State</th>
              {header('Timecode', 'START_TIMECODE')}
              <th scope="col">Camera</th>
              <th scope="col">Picture</th>
              {header('Size', 'SIZE')}
            </tr>
          </thead>
          <tbody>
            {roll.clips.nodes.map((clip) => {
              const running = clip.tasks.find((t) => t.state === 'running');
              return (
                <tr key={clip.id} data-testid="clip-row">
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
                    <span className={`badge badge-${clip.state}`}>
                      {STATE_LABEL[clip.state] ?? clip.state}
                    </span>
                    {running ? (
                      <span className="muted small">
                        {' '}
                        {running.kind} {Math.round(running.progress * 100)}%
                      </span>
                    ) : null}
                    {clip.errorCode ? (
                      <p className="bad small" title={clip.errorMessage ?? ''}>
                        {clip.errorCode}: {clip.errorMessage}
                      </p>
                    ) : null}
                  </td>
                  <td className="mono">
                    {clip.startTimecode ?? '—'}
                    {clip.endTimecode ? ` – ${clip.endTimecode}` : ''}
                  </td>
                  <td>{clip.camera ?? '—'}</td>
                  <td>
                    {clip.width && clip.height ? `${clip.width}×${clip.height}` : '—'} {clip.codec ?? ''}
                  </td>
                  <td>{bytes(clip.sizeBytes)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}
