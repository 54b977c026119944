import type { RollClipFragment } from '../../../gql/graphql.ts';
import { STATE_LABEL } from '../../../lib/format.ts';

/** A clip's state badge, the running task's progress, and a failure's code and reason. */
export function ClipState({ clip, compact = false }: { clip: RollClipFragment; compact?: boolean }) {
  const running = clip.tasks.find((t) => t.state === 'running');
  return (
    <>
      <span className={`badge badge-${clip.state}`}>{STATE_LABEL[clip.state] ?? clip.state}</span>
      {running ? (
        <span className="muted small">
          {' '}
          {running.kind} {Math.round(running.progress * 100)}%
        </span>
      ) : null}
      {clip.errorCode ? (
        <p className={`bad small${compact ? ' clamp' : ''}`} title={clip.errorMessage ?? ''}>
          {clip.errorCode}: {clip.errorMessage}
        </p>
      ) : null}
    </>
  );
}
