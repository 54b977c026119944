'use client';

import { useState } from 'react';
import { useQuery } from 'urql';
import { graphql } from '../../../gql/index.ts';
import { STATE_LABEL } from '../../../lib/format.ts';

const SEARCH = graphql(`
  query ProductionSearch($productionId: ID!, $text: String!) {
    search(productionId: $productionId, text: $text, first: 20) {
      rolls {
        id
        name
      }
      clips {
        id
        fileName
        state
        startTimecode
        roll {
          name
        }
      }
    }
  }
`);

/** One box for "where is A003C012" or "scene 42" across the production. */
export function Search({ productionId }: { productionId: string }) {
  const [text, setText] = useState('');
  const wanted = text.trim();
  const [{ data, fetching }] = useQuery({
    query: SEARCH,
    variables: { productionId, text: wanted },
    pause: wanted.length < 2,
  });
  const results = wanted.length >= 2 ? data?.search : undefined;
  return (
    <section aria-label="Search" className="search">
      <label className="inline">
        Search
        <input
          type="search"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder="clip, reel, scene, lens…"
        />
      </label>
      {results ? (
        results.rolls.length + results.clips.length === 0 ? (
          <p className="muted">{fetching ? 'Searching…' : `Nothing matches “${wanted}”.`}</p>
        ) : (
          <ul className="results">
            {results.rolls.map((r) => (
              <li key={r.id}>
                Roll <a href={`/rolls/${r.id}`}>{r.name}</a>
              </li>
            ))}
            {results.clips.map((c) => (
              <li key={c.id} data-testid="search-clip">
                <a href={`/clips/${c.id}`} className="mono">
                  {c.fileName}
                </a>{' '}
                <span className="muted small">
                  {c.roll.name} · {c.startTimecode ?? '—'} · {STATE_LABEL[c.state] ?? c.state}
                </span>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}
