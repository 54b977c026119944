'use client';

import { useCallback } from 'react';
import { useQuery } from 'urql';
import type { ProductionOverviewQuery } from '../../../gql/graphql.ts';
import { STATE_LABEL } from '../../../lib/format.ts';
import { useLive } from '../../../lib/live.ts';
import { PRODUCTION } from '../../../lib/queries.ts';
import { LoadState } from '../../load-error.tsx';
import { Search } from './search.tsx';
import { CardUpload } from './upload.tsx';
import { TableScroll } from '../../table-scroll.tsx';

type RollRow = NonNullable<ProductionOverviewQuery['production']>['rolls']['nodes'][number];

/** Pure: rolls by shoot day (latest first), camera rolls before sound rolls within a day. */
export function byShootDay(rolls: RollRow[]): [string, RollRow[]][] {
  const days = new Map<string, RollRow[]>();
  for (const roll of rolls) {
    const day = roll.shootDay ?? 'No shoot day';
    days.set(day, [...(days.get(day) ?? []), roll]);
  }
  return [...days].map(([day, list]) => [
    day,
    list.sort((a, b) => a.kind.localeCompare(b.kind) || a.name.localeCompare(b.name)),
  ]);
}

/** `initial`: the production as the server rendered it, shown until the browser's own answer. */
export function ProductionPage({ code, initial }: { code: string; initial: ProductionOverviewQuery | null }) {
  const [{ data: fresh, fetching, error }, refetch] = useQuery({ query: PRODUCTION, variables: { code } });
  const data = fresh ?? initial ?? undefined;
  const production = data?.production;
  const refresh = useCallback(() => refetch({ requestPolicy: 'network-only' }), [refetch]);
  useLive(production?.id, refresh);

  if (error || (fetching && !data)) return <LoadState what="production" error={error} loading={fetching} />;
  if (!production) return <p role="alert">No production {code} that you can see.</p>;
  const canIngest = production.role === 'owner' || production.role === 'coordinator';

  return (
    <section aria-labelledby="production-title">
      <p className="muted">
        <a href="/">Productions</a> /
      </p>
      <h1 id="production-title">
        {production.name} <span className="muted mono">{production.code}</span>
      </h1>
      <p>
        <a href={`/p/${encodeURIComponent(production.code)}/settings`}>
          Settings: members, API keys, proxies
        </a>
      </p>
      <Search productionId={production.id} />
      {canIngest ? <CardUpload productionId={production.id} onDone={refresh} /> : null}
      {production.rolls.nodes.length === 0 ? (
        <p className="muted">No rolls yet{canIngest ? ': drop a card folder above.' : '.'}</p>
      ) : (
        byShootDay(production.rolls.nodes).map(([day, rolls]) => (
          <section key={day} aria-label={`Shoot day ${day}`} className="day">
            <h2>{day}</h2>
            <TableScroll label="Rolls">
              <table className="grid">
                <thead>
                  <tr>
                    <th scope="col">Roll</th>
                    <th scope="col">Kind</th>
                    <th scope="col">State</th>
                    <th scope="col">Progress</th>
                  </tr>
                </thead>
                <tbody>
                  {rolls.map((roll) => (
                    <tr key={roll.id} data-testid="roll-row">
                      <td>
                        <a href={`/rolls/${roll.id}`} className="mono">
                          {roll.name}
                        </a>
                      </td>
                      <td>
                        {roll.kind}
                        {roll.cameraUnit ? ` · ${roll.cameraUnit} camera` : ''}
                      </td>
                      <td>
                        {roll.state === 'pending' && !roll.sourceLocation ? (
                          <span className="badge badge-pending" title="Its card has not been sent whole yet">
                            Upload not finished
                          </span>
                        ) : (
                          <span className={`badge badge-${roll.state}`}>
                            {STATE_LABEL[roll.state] ?? roll.state}
                          </span>
                        )}
                        {roll.errorMessage ? <p className="bad small">{roll.errorMessage}</p> : null}
                      </td>
                      <td>
                        <progress
                          max={1}
                          value={roll.progress.fraction}
                          aria-label={`${roll.name} progress`}
                        />{' '}
                        <span className="muted">
                          {roll.progress.ready}/{roll.progress.total} ready
                          {roll.progress.failed ? ` · ${roll.progress.failed} failed` : ''}
                        </span>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </TableScroll>
          </section>
        ))
      )}
    </section>
  );
}
