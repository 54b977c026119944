'use client';

/**
 * Import roots (instance administrators): the server folders and S3 prefixes `importRoll` may
 * read cards from. The api refuses the platform's own store, data folder, installation and the
 * system's folders, and says why; this panel shows its words.
 */
import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../gql/index.ts';
import { FormError } from './form-error.tsx';
import { TableScroll } from './table-scroll.tsx';

const IMPORT_ROOTS = graphql(`
  query ImportRoots {
    importRoots {
      id
      location
      description
      productionIds
    }
    productions(first: 200) {
      nodes {
        id
        code
      }
    }
  }
`);

const ADD_IMPORT_ROOT = graphql(`
  mutation AddImportRoot($input: ImportRootInput!) {
    addImportRoot(input: $input) {
      id
      location
      description
      productionIds
    }
  }
`);

const REMOVE_IMPORT_ROOT = graphql(`
  mutation RemoveImportRoot($id: ID!) {
    removeImportRoot(id: $id)
  }
`);

const context = { additionalTypenames: ['ImportRoot'] };

export function ImportRootsPanel() {
  const [{ data, error }] = useQuery({ query: IMPORT_ROOTS, context });
  const [removing, remove] = useMutation(REMOVE_IMPORT_ROOT);
  const codes = new Map((data?.productions.nodes ?? []).map((p) => [p.id, p.code]));
  const roots = data?.importRoots ?? [];
  return (
    <section aria-labelledby="import-roots-title">
      <h2 id="import-roots-title">Import roots</h2>
      <p className="muted small">
        Cards can be imported from a server folder or S3 prefix only inside one of these. The platform&apos;s
        own store and data folder are never importable.
      </p>
      <NewImportRootForm productions={data?.productions.nodes ?? []} />
      {error ? (
        <p role="alert" className="error">
          Could not load import roots: {error.message}
        </p>
      ) : roots.length === 0 ? (
        <p className="muted">
          No import roots: nothing can be imported from a server folder or S3 prefix yet.
        </p>
      ) : (
        <TableScroll label="Import roots">
          <table className="grid">
            <thead>
              <tr>
                <th scope="col">Location</th>
                <th scope="col">Description</th>
                <th scope="col">Open to</th>
                <th scope="col">
                  <span className="visually-hidden">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {roots.map((root) => (
                <tr key={root.id} data-testid="import-root-row">
                  <td className="mono">{root.location}</td>
                  <td>{root.description}</td>
                  <td>
                    {root.productionIds.length === 0
                      ? 'every production'
                      : root.productionIds.map((id) => codes.get(id) ?? id).join(', ')}
                  </td>
                  <td>
                    <button
                      type="button"
                      disabled={removing.fetching}
                      onClick={() => void remove({ id: root.id }, context)}
                      aria-label={`Remove import root ${root.location}`}
                    >
                      Remove
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <FormError error={removing.error} />
    </section>
  );
}

function NewImportRootForm({ productions }: { productions: readonly { id: string; code: string }[] }) {
  const [location, setLocation] = useState('');
  const [description, setDescription] = useState('');
  const [only, setOnly] = useState('');
  const [{ fetching, error }, add] = useMutation(ADD_IMPORT_ROOT);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await add(
      { input: { location, description, productionIds: only ? [only] : [] } },
      context,
    );
    if (!result.error) {
      setLocation('');
      setDescription('');
      setOnly('');
    }
  }

  return (
    <form className="card" onSubmit={submit} aria-label="New import root">
      <label>
        Folder or S3 prefix
        <input
          value={location}
          onChange={(e) => setLocation(e.target.value)}
          required
          placeholder="/mnt/cards or s3://dailies/day01"
          className="mono"
        />
      </label>
      <label>
        Description
        <input value={description} onChange={(e) => setDescription(e.target.value)} maxLength={200} />
      </label>
      <label>
        Open to
        <select value={only} onChange={(e) => setOnly(e.target.value)}>
          <option value="">every production</option>
          {productions.map((p) => (
            <option key={p.id} value={p.id}>
              {p.code} only
            </option>
          ))}
        </select>
      </label>
      <button type="submit" disabled={fetching}>
        {fetching ? 'Adding…' : 'Add import root'}
      </button>
      <FormError error={error} />
    </form>
  );
}
