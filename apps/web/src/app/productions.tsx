'use client';

import { useEffect, useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import type { ProductionsQuery } from '../gql/graphql.ts';
import { bytes } from '../lib/format.ts';
import { PRODUCTIONS, VIEWER } from '../lib/queries.ts';
import { FormError } from './form-error.tsx';
import { ImportRootsPanel } from './import-roots.tsx';
import { TableScroll } from './table-scroll.tsx';

const CREATE_PRODUCTION = graphql(`
  mutation CreateProduction($input: CreateProductionInput!) {
    createProduction(input: $input) {
      id
      name
      code
      state
      createdAt
    }
  }
`);

const context = { additionalTypenames: ['Production'] };

/** `initial`: the list as the server rendered it, shown until the browser's own answer. */
export function ProductionsPage({ initial }: { initial: ProductionsQuery | null }) {
  const [{ data: fresh, fetching, error }, refetch] = useQuery({
    query: PRODUCTIONS,
    context,
  });
  const [{ data: viewer }] = useQuery({ query: VIEWER });
  const data = fresh ?? initial ?? undefined;
  const productions = data?.productions.nodes ?? [];
  const settingUp = productions.some((p) => p.state === 'pending');

  // A new production turns ready once a worker has set it up: look again until it has.
  useEffect(() => {
    if (!settingUp) return;
    const timer = setInterval(() => refetch({ requestPolicy: 'network-only' }), 1000);
    return () => clearInterval(timer);
  }, [settingUp, refetch]);

  return (
    <section aria-labelledby="productions-title">
      <h1 id="productions-title">Productions</h1>
      <NewProductionForm />
      {error ? (
        <p role="alert" className="error">
          Could not load productions: {error.message}
        </p>
      ) : fetching && !data ? (
        <p className="muted">Loading…</p>
      ) : productions.length === 0 ? (
        <p className="muted">No productions yet. Create the first one above.</p>
      ) : (
        <TableScroll label="Productions">
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">Code</th>
                <th scope="col">Name</th>
                <th scope="col">State</th>
                <th scope="col">Clips</th>
                <th scope="col">Storage</th>
                <th scope="col">Created</th>
              </tr>
            </thead>
            <tbody>
              {productions.map((p) => (
                <tr key={p.id} data-testid="production-row">
                  <td className="mono">{p.code}</td>
                  <td>
                    <a href={`/p/${encodeURIComponent(p.code)}`}>{p.name}</a>
                  </td>
                  <td>
                    <span className={`badge badge-${p.state}`}>
                      {p.state === 'ready' ? 'Ready' : 'Setting up…'}
                    </span>
                  </td>
                  <td>
                    {p.counts.total === 0 ? (
                      <span className="muted">none yet</span>
                    ) : (
                      <>
                        {p.counts.ready}/{p.counts.total} ready
                        {p.counts.processing ? (
                          <span className="muted"> · {p.counts.processing} processing</span>
                        ) : null}
                        {p.counts.failed ? <span className="bad"> · {p.counts.failed} failed</span> : null}
                      </>
                    )}
                  </td>
                  <td>{bytes(p.counts.sizeBytes)}</td>
                  <td>
                    {/* In the server's time zone first, then the browser's. */}
                    <time dateTime={p.createdAt} suppressHydrationWarning>
                      {new Date(p.createdAt).toLocaleString()}
                    </time>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      {viewer?.viewer?.isAdmin ? <ImportRootsPanel /> : null}
    </section>
  );
}

function NewProductionForm() {
  const [name, setName] = useState('');
  const [code, setCode] = useState('');
  const [{ fetching, error }, create] = useMutation(CREATE_PRODUCTION);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await create({ input: { name, code } }, context);
    if (!result.error) {
      setName('');
      setCode('');
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-label="New production">
      <label>
        Name
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          required
          maxLength={200}
          placeholder="Night Shift"
        />
      </label>
      <label>
        Code
        <input
          value={code}
          onChange={(e) => setCode(e.target.value.toUpperCase())}
          required
          minLength={2}
          maxLength={16}
          pattern="[A-Za-z0-9][A-Za-z0-9_\-]{1,15}"
          title="2–16 letters, digits, - or _"
          placeholder="NIGHTSHIFT"
          className="mono"
        />
      </label>
      <button type="submit" disabled={fetching}>
        {fetching ? 'Creating…' : 'Create production'}
      </button>
      <FormError error={error} />
    </form>
  );
}
