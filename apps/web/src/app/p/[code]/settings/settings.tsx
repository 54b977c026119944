'use client';

import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../../../gql/index.ts';
import { parseCdl } from '@rushes/engine/sidecar';
import { EDITORIAL_PROFILES } from '@rushes/schema/profiles';
import { FormError } from '../../../form-error.tsx';
import { LoadState } from '../../../load-error.tsx';
import { TableScroll } from '../../../table-scroll.tsx';

const SETTINGS = graphql(`
  query ProductionSettings($code: String!) {
    production(code: $code) {
      id
      code
      name
      role
      proxyProfiles
      colorPipeline
      members {
        email
        name
        role
        active
      }
      apiKeys {
        id
        name
        prefix
        role
        lastUsedAt
        revokedAt
      }
    }
  }
`);

const ADD_MEMBER = graphql(`
  mutation SettingsAddMember($productionId: ID!, $email: String!, $role: Role!) {
    addMember(productionId: $productionId, email: $email, role: $role) {
      invitation
      member {
        email
      }
    }
  }
`);

const REMOVE_MEMBER = graphql(`
  mutation SettingsRemoveMember($productionId: ID!, $email: String!) {
    removeMember(productionId: $productionId, email: $email)
  }
`);

const CREATE_KEY = graphql(`
  mutation SettingsCreateKey($name: String!, $productionId: ID!, $role: Role!) {
    createApiKey(name: $name, productionIds: [$productionId], role: $role) {
      secret
    }
  }
`);

const REVOKE_KEY = graphql(`
  mutation SettingsRevokeKey($id: ID!) {
    revokeApiKey(id: $id) {
      id
      revokedAt
    }
  }
`);

const LOOK = graphql(`
  mutation SettingsLook($id: ID!, $colorPipeline: JSONObject!) {
    updateProduction(input: { id: $id, colorPipeline: $colorPipeline }) {
      id
      colorPipeline
    }
  }
`);

const PROFILES = graphql(`
  mutation SettingsProfiles($id: ID!, $profiles: [JSONObject!]!) {
    updateProduction(input: { id: $id, proxyProfiles: $profiles }) {
      id
      proxyProfiles
    }
  }
`);

/** Module-level: a new context object on every render would make urql run the query again. */
const context = { additionalTypenames: ['Member', 'ApiKey'] };

const ROLES = ['owner', 'coordinator', 'editor', 'vendor'] as const;
type RoleName = (typeof ROLES)[number];

/** Pure: a look as a colourist reads it. */
export function lookText(look: unknown): string {
  if (!look || typeof look !== 'object')
    return 'No look: proxies show the camera image through the ACES output transform.';
  const { slope, offset, power, saturation } = look as Record<string, number[] | number>;
  const triple = (t: unknown) => `(${(t as number[]).join(' ')})`;
  return `Slope ${triple(slope)} · Offset ${triple(offset)} · Power ${triple(power)} · Saturation ${String(saturation)}`;
}

/** Members, API keys and editors' proxies of a production (owners; coordinators see members). */
export function SettingsPage({ code }: { code: string }) {
  const [{ data, fetching, error }, refetch] = useQuery({ query: SETTINGS, variables: { code }, context });
  const production = data?.production;
  const [added, addMember] = useMutation(ADD_MEMBER);
  const [removed, removeMember] = useMutation(REMOVE_MEMBER);
  const [created, createKey] = useMutation(CREATE_KEY);
  const [, revokeKey] = useMutation(REVOKE_KEY);
  const [saved, saveProfiles] = useMutation(PROFILES);
  const [lookSaved, saveLook] = useMutation(LOOK);
  const [lookProblem, setLookProblem] = useState<string | null>(null);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<RoleName>('editor');
  const [keyName, setKeyName] = useState('');
  const [keyRole, setKeyRole] = useState<RoleName>('vendor');
  const reload = () => refetch({ requestPolicy: 'network-only' });

  if (error || (fetching && !data)) return <LoadState what="settings" error={error} loading={fetching} />;
  if (!production) return <p role="alert">No production {code} that you can see.</p>;
  const owner = production.role === 'owner';
  const profiles = new Set(production.proxyProfiles.map((p) => String(p['id'])));

  async function invite(event: FormEvent) {
    event.preventDefault();
    const result = await addMember({ productionId: production!.id, email, role });
    if (!result.error) {
      setEmail('');
      reload();
    }
  }

  async function newKey(event: FormEvent) {
    event.preventDefault();
    const result = await createKey({ name: keyName, productionId: production!.id, role: keyRole });
    if (!result.error) {
      setKeyName('');
      reload();
    }
  }

  /** A .cdl/.cc/.ccc file's first correction becomes the production's look. */
  async function uploadLook(file: File) {
    setLookProblem(null);
    try {
      const cdl = parseCdl(new Uint8Array(await file.arrayBuffer()));
      const first = cdl.corrections[0];
      if (!first) throw new Error('it holds no ColorCorrection');
      const { slope, offset, power, saturation } = first;
      const result = await saveLook({
        id: production!.id,
        colorPipeline: { look: { slope, offset, power, saturation } },
      });
      if (!result.error) reload();
    } catch (e) {
      setLookProblem(`${file.name} is not an ASC CDL file we can read: ${(e as Error).message}`);
    }
  }

  async function toggleProfile(id: string, on: boolean) {
    const next = production!.proxyProfiles.filter((p) => p['id'] !== id);
    await saveProfiles({ id: production!.id, profiles: on ? [...next, { id }] : next });
    reload();
  }

  return (
    <section aria-labelledby="settings-title">
      <p className="muted">
        <a href="/">Productions</a> /{' '}
        <a href={`/p/${encodeURIComponent(production.code)}`}>{production.name}</a> /
      </p>
      <h1 id="settings-title">Settings</h1>

      <h2>Members</h2>
      {production.members === null || production.members === undefined ? (
        <p className="muted">Only coordinators and owners see the members.</p>
      ) : (
        <TableScroll label="Members">
          <table className="grid">
            <tbody>
              {production.members.map((m) => (
                <tr key={m.email} data-testid="member-row">
                  <td>{m.email}</td>
                  <td>{m.role}</td>
                  <td className="muted">{m.active ? '' : 'invited'}</td>
                  <td>
                    {owner ? (
                      <button
                        type="button"
                        className="link"
                        onClick={() =>
                          void removeMember({ productionId: production.id, email: m.email }).then(reload)
                        }
                      >
                        Remove
                      </button>
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      )}
      <FormError error={removed.error} />
      {owner ? (
        <form className="card" onSubmit={invite} aria-label="Add a member">
          <label>
            E-mail
            <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
          </label>
          <label>
            Role
            <select value={role} onChange={(e) => setRole(e.target.value as RoleName)}>
              {ROLES.map((r) => (
                <option key={r}>{r}</option>
              ))}
            </select>
          </label>
          <button type="submit" disabled={added.fetching}>
            Add member
          </button>
          <FormError error={added.error} />
          {added.data?.addMember.invitation ? (
            <p className="invite" role="status">
              {added.data.addMember.member.email} has no account yet. Send them this link (valid 14 days):{' '}
              <code>{`${location.origin}/?invitation=${encodeURIComponent(added.data.addMember.invitation)}`}</code>
            </p>
          ) : null}
        </form>
      ) : null}

      {owner ? (
        <>
          <h2>API keys</h2>
          <TableScroll label="API keys">
            <table className="grid">
              <tbody>
                {(production.apiKeys ?? []).map((k) => (
                  <tr key={k.id}>
                    <td>{k.name}</td>
                    <td className="mono">{k.prefix}…</td>
                    <td>{k.role}</td>
                    <td className="muted">
                      {k.revokedAt
                        ? 'revoked'
                        : k.lastUsedAt
                          ? `used ${new Date(k.lastUsedAt).toLocaleString()}`
                          : 'never used'}
                    </td>
                    <td>
                      {k.revokedAt ? null : (
                        <button
                          type="button"
                          className="link"
                          onClick={() => void revokeKey({ id: k.id }).then(reload)}
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </TableScroll>
          <form className="card" onSubmit={newKey} aria-label="Create an API key">
            <label>
              Name
              <input
                value={keyName}
                onChange={(e) => setKeyName(e.target.value)}
                required
                placeholder="VFX vendor"
              />
            </label>
            <label>
              Role
              <select value={keyRole} onChange={(e) => setKeyRole(e.target.value as RoleName)}>
                {ROLES.map((r) => (
                  <option key={r}>{r}</option>
                ))}
              </select>
            </label>
            <button type="submit" disabled={created.fetching}>
              Create key
            </button>
            <FormError error={created.error} />
            {created.data ? (
              <p role="status">
                The key, shown this once:{' '}
                <code data-testid="new-api-key">{created.data.createApiKey.secret}</code>
              </p>
            ) : null}
          </form>
        </>
      ) : null}

      {owner || production.role === 'coordinator' ? (
        <>
          <h2>Editors&apos; proxies</h2>
          <p className="muted">
            Every clip gets the review proxy; these are rendered too, for clips processed from now on.
          </p>
          {EDITORIAL_PROFILES.map((p) => (
            <label key={p.id} className="inline">
              <input
                type="checkbox"
                checked={profiles.has(p.id)}
                disabled={saved.fetching}
                onChange={(e) => void toggleProfile(p.id, e.target.checked)}
              />
              {p.label}
            </label>
          ))}
          <FormError error={saved.error} />

          <h2>Look</h2>
          <p data-testid="current-look">{lookText(production.colorPipeline['look'])}</p>
          <label>
            ASC CDL file (.cdl, .cc, .ccc)
            <input
              type="file"
              accept=".cdl,.cc,.ccc,.xml"
              onChange={(e) => e.target.files?.[0] && void uploadLook(e.target.files[0])}
            />
          </label>
          {lookProblem ? (
            <p role="alert" className="error">
              {lookProblem}
            </p>
          ) : null}
          <FormError error={lookSaved.error} />
        </>
      ) : null}
    </section>
  );
}
