'use client';

import type { ProcessingState } from '../../../gql/graphql.ts';
import { activeFilters, FIELDS, STATES, type ClipQuery, type TextFilter } from '../../../lib/clip-query.ts';
import { STATE_LABEL } from '../../../lib/format.ts';

/**
 * The roll page's filters — every filter the api offers for a roll's clips. Problems (a
 * half-typed timecode) are shown beside their field and keep the filter from being sent.
 */
export function ClipFilters({
  query,
  problems,
  onChange,
}: {
  query: ClipQuery;
  problems: Partial<Record<TextFilter, string>>;
  onChange: (query: ClipQuery) => void;
}) {
  const toggleState = (state: ProcessingState, on: boolean) =>
    onChange({ ...query, states: on ? [...query.states, state] : query.states.filter((s) => s !== state) });
  const setField = (name: TextFilter, value: string) =>
    onChange({ ...query, fields: { ...query.fields, [name]: value } });
  const count = activeFilters(query);

  return (
    <details className="filters" open={count > 0 || undefined}>
      <summary>Filters{count ? ` (${count})` : ''}</summary>
      <fieldset className="states">
        <legend>State</legend>
        {STATES.map((state) => (
          <label key={state} className="inline">
            <input
              type="checkbox"
              checked={query.states.includes(state)}
              onChange={(e) => toggleState(state, e.target.checked)}
            />
            {STATE_LABEL[state]}
          </label>
        ))}
      </fieldset>
      <div className="filter-fields">
        {(Object.keys(FIELDS) as TextFilter[]).map((name) => {
          const { label, hint } = FIELDS[name];
          const isDate = hint === 'datetime-local';
          return (
            <label key={name}>
              {label}
              <input
                type={isDate ? 'datetime-local' : 'text'}
                placeholder={isDate ? undefined : hint}
                value={query.fields[name] ?? ''}
                aria-invalid={problems[name] ? true : undefined}
                aria-describedby={problems[name] ? `filter-${name}-problem` : undefined}
                onChange={(e) => setField(name, e.target.value)}
              />
              {problems[name] ? (
                <span id={`filter-${name}-problem`} className="bad small">
                  {problems[name]}
                </span>
              ) : null}
            </label>
          );
        })}
      </div>
      {count ? (
        <button type="button" className="link" onClick={() => onChange({ ...query, states: [], fields: {} })}>
          Clear filters
        </button>
      ) : null}
    </details>
  );
}
