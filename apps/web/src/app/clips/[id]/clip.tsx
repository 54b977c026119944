'use client';

import { useCallback, useEffect, useRef, useState, type KeyboardEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { DEFAULT_PROXY_PROFILE, proxyRenditionName } from '@rushes/schema/profiles';
import { graphql } from '../../../gql/index.ts';
import type { ClipPageQuery } from '../../../gql/graphql.ts';
import { bytes, STATE_LABEL } from '../../../lib/format.ts';
import { useLive } from '../../../lib/live.ts';
import { LoadState } from '../../load-error.tsx';
import { frameStepSeconds, playerTimecode } from '../../../lib/timecode.ts';
import { FormError } from '../../form-error.tsx';
import { CLIP } from './clip-query.ts';

const REPROCESS = graphql(`
  mutation Reprocess($id: ID!) {
    reprocessClips(ids: [$id], profile: review) {
      id
      state
    }
  }
`);

type Sourced = {
  value: unknown;
  source: string;
  detail?: string | null;
  conflicts: { value: unknown; source: string }[];
} | null;

const GROUP_TITLES: Record<string, string> = {
  identity: 'Identity',
  camera: 'Camera',
  lens: 'Lens',
  exposure: 'Exposure',
  picture: 'Picture',
  color: 'Colour',
  time: 'Time',
  audio: 'Audio',
  file: 'File',
};

const words = (key: string) => key.replace(/([A-Z])/g, ' $1').replace(/^./, (c) => c.toUpperCase());

function Player({
  url,
  start,
  rate,
  aspect,
}: {
  url: string;
  start: string | null;
  /** The clip's (and its proxy's) frame rate. */
  rate: { num: number; den: number; fps: number } | null | undefined;
  /** The proxy's width / height: its box is the right size before the video loads. */
  aspect: string;
}) {
  const video = useRef<HTMLVideoElement>(null);
  const [time, setTime] = useState(0);
  const [duration, setDuration] = useState<number>();
  const fps = rate?.fps;
  const step = (frames: number) => {
    const v = video.current;
    if (!v || !rate) return;
    v.pause();
    v.currentTime = frameStepSeconds(v.currentTime, frames, rate, v.duration);
  };
  // J/K/L: reverse (as a step back), pause, play faster each press; arrows step a frame.
  function keys(event: KeyboardEvent) {
    const v = video.current;
    if (!v) return;
    const actions: Record<string, () => void> = {
      k: () => v.pause(),
      l: () => {
        v.playbackRate = v.paused ? 1 : Math.min(v.playbackRate * 2, 8);
        void v.play();
      },
      j: () => step(-Math.round(fps ?? 24)),
      ArrowRight: () => step(1),
      ArrowLeft: () => step(-1),
      ' ': () => (v.paused ? void v.play() : v.pause()),
    };
    const action = actions[event.key];
    if (action) {
      event.preventDefault();
      action();
    }
  }
  return (
    <div className="player" onKeyDown={keys}>
      <video
        ref={video}
        src={url}
        controls
        preload="metadata"
        style={{ aspectRatio: aspect }}
        data-testid="proxy-player"
        onTimeUpdate={(e) => setTime(e.currentTarget.currentTime)}
        onSeeked={(e) => setTime(e.currentTarget.currentTime)}
        onDurationChange={(e) => setDuration(e.currentTarget.duration)}
      />
      <div className="player-bar">
        <button type="button" onClick={() => step(-1)} title="Back one frame (←)">
          <span aria-hidden="true">◀︎</span> Frame back
        </button>
        <output className="mono timecode" aria-label="Source timecode">
          {playerTimecode(start, time, rate, duration)}
        </output>
        <button type="button" onClick={() => step(1)} title="Forward one frame (→)">
          Frame forward <span aria-hidden="true">▶︎</span>
        </button>
        <span className="muted small">J K L · ← → frame · space</span>
      </div>
    </div>
  );
}

/** `initial`: the clip as the server rendered it, shown until the browser's own answer. */
export function ClipPage({ id, initial }: { id: string; initial: ClipPageQuery | null }) {
  const [{ data: fresh, fetching, error }, refetch] = useQuery({ query: CLIP, variables: { id } });
  const data = fresh ?? initial ?? undefined;
  const clip = data?.node && 'fileName' in data.node ? data.node : null;
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useLive(clip?.roll.production.id, refresh);
  const [reprocessing, reprocess] = useMutation(REPROCESS);
  useEffect(() => {
    if (reprocessing.data) refresh();
  }, [reprocessing.data, refresh]);

  if (error || (fetching && !data)) return <LoadState what="clip" error={error} loading={fetching} />;
  if (!clip) return <p role="alert">No such clip, or not one you can see.</p>;
  const production = clip.roll.production;
  const proxy = clip.renditions.find((r) => r.name === proxyRenditionName(DEFAULT_PROXY_PROFILE));
  const canIngest = production.role === 'owner' || production.role === 'coordinator';

  return (
    <section aria-labelledby="clip-title">
      <p className="muted">
        <a href="/">Productions</a> /{' '}
        <a href={`/p/${encodeURIComponent(production.code)}`}>{production.name}</a> /{' '}
        <a href={`/rolls/${clip.roll.id}`}>{clip.roll.name}</a> /
      </p>
      <h1 id="clip-title">
        <span className="mono">{clip.fileName}</span>{' '}
        <span className={`badge badge-${clip.state}`}>{STATE_LABEL[clip.state] ?? clip.state}</span>
      </h1>
      {clip.errorCode ? (
        <p className="bad">
          {clip.errorCode}: {clip.errorMessage}
        </p>
      ) : null}
      {proxy?.downloadUrl ? (
        <Player
          url={proxy.downloadUrl}
          start={clip.startTimecode}
          rate={clip.frameRate}
          aspect={proxy.width && proxy.height ? `${proxy.width} / ${proxy.height}` : '16 / 9'}
        />
      ) : (
        <p className="muted">The review proxy is not ready yet.</p>
      )}

      <h2>Renditions</h2>
      {clip.renditions.length === 0 ? (
        <p className="muted">None yet.</p>
      ) : (
        <ul className="renditions">
          {clip.renditions.map((r) => (
            <li key={r.name}>
              {r.downloadUrl ? (
                <a href={r.downloadUrl} download data-testid={`download-${r.name}`}>
                  Download {r.name}
                </a>
              ) : (
                <span>{r.name}</span>
              )}{' '}
              <span className="muted small">
                {[r.codec, r.width && r.height ? `${r.width}×${r.height}` : null, bytes(r.sizeBytes)]
                  .filter(Boolean)
                  .join(' · ')}
              </span>
            </li>
          ))}
        </ul>
      )}
      {canIngest ? (
        <p>
          <button
            type="button"
            disabled={reprocessing.fetching}
            onClick={() => void reprocess({ id: clip.id })}
          >
            Render the review proxy again
          </button>
          <FormError error={reprocessing.error} />
        </p>
      ) : null}

      <h2>Metadata</h2>
      <div className="panels">
        {Object.entries(clip.metadata)
          .filter(([group]) => group !== '__typename')
          .map(([group, values]) => {
            const rows = Object.entries(values as Record<string, Sourced>).filter(
              ([key, v]) => key !== '__typename' && v !== null,
            ) as [string, NonNullable<Sourced>][];
            return (
              <section key={group} className="panel" aria-label={GROUP_TITLES[group] ?? group}>
                <h3>{GROUP_TITLES[group] ?? group}</h3>
                {rows.length === 0 ? (
                  <p className="muted small">Nothing recorded.</p>
                ) : (
                  <dl>
                    {rows.map(([key, v]) => (
                      <div key={key} title={`from ${v.source}${v.detail ? ` (${v.detail})` : ''}`}>
                        <dt>{words(key)}</dt>
                        <dd>
                          {String(v.value)}
                          {v.conflicts.length ? (
                            <span
                              className="conflict"
                              title={v.conflicts.map((c) => `${c.source}: ${String(c.value)}`).join('\n')}
                            >
                              {' '}
                              ⚠ {v.conflicts.length} other value{v.conflicts.length > 1 ? 's' : ''}
                            </span>
                          ) : null}
                        </dd>
                      </div>
                    ))}
                  </dl>
                )}
              </section>
            );
          })}
      </div>

      <h2>Processing</h2>
      <ol className="timeline">
        {clip.tasks.map((t) => (
          <li key={t.id}>
            <span className={`badge badge-${t.state}`}>{STATE_LABEL[t.state] ?? t.state}</span>{' '}
            <strong>{t.kind}</strong>{' '}
            <span className="muted small">
              attempt {t.attempt}
              {t.state === 'running' ? ` · ${Math.round(t.progress * 100)}%` : ''}
              {t.finishedAt ? (
                <>
                  {' · '}
                  {/* In the server's time zone first, then the browser's. */}
                  <time dateTime={t.finishedAt} suppressHydrationWarning>
                    {new Date(t.finishedAt).toLocaleTimeString()}
                  </time>
                </>
              ) : null}
            </span>
            {t.errorCode ? (
              <p className="bad small">
                {t.errorCode}: {t.errorMessage}
              </p>
            ) : null}
          </li>
        ))}
      </ol>
      <p className="muted small">
        {clip.originalPath} · {bytes(clip.sizeBytes)} ·{' '}
        {clip.checksums.map((c) => `${c.algorithm} ${c.value}`).join(' · ')}
      </p>
    </section>
  );
}
