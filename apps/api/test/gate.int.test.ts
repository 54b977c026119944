/**
 * Every HTTP route of the running api is in the gate's route table (auth/gate.ts `routes`):
 * public, GraphQL (every field gated), or a signed link minted only by gated fields. A route
 * mounted without an entry fails here.
 */
import { isObjectType } from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gateOf, routes } from '../src/auth/gate.ts';
import { EXPORT_ROUTE } from '../src/exports/routes.ts';
import { startTestApi, type TestApi } from './support/api.ts';

let api: TestApi;

beforeAll(async () => {
  api = await startTestApi();
});

afterAll(() => api?.stop());

interface Layer {
  rawPath?: unknown;
  route?: { path: unknown; methods: Record<string, boolean> };
}

/** The Express app's own layers: routes with their methods, and paths middleware is mounted at. */
function mounted(): { routes: { path: string; methods: string[] }[]; prefixes: string[] } {
  const app = api.server.httpServer.listeners('request')[0] as unknown as { router: { stack: Layer[] } };
  const found = { routes: [] as { path: string; methods: string[] }[], prefixes: [] as string[] };
  for (const layer of app.router.stack) {
    if (layer.route) {
      const methods = Object.keys(layer.route.methods).map((m) => (m === '_all' ? '*' : m.toUpperCase()));
      found.routes.push({ path: String(layer.route.path), methods });
    } else if (layer.rawPath !== undefined && layer.rawPath !== '/') {
      found.prefixes.push(String(layer.rawPath));
    }
  }
  return found;
}

describe('HTTP routes and the gate', () => {
  const table = routes(EXPORT_ROUTE);

  it('has an entry for every route the app serves, with its methods', () => {
    const { routes: served } = mounted();
    expect(served.length).toBeGreaterThanOrEqual(4);
    const missing = served.filter(
      (route) =>
        !table.some(
          (entry) =>
            entry.path === route.path &&
            (entry.methods.includes('*') || route.methods.every((m) => entry.methods.includes(m))),
        ),
    );
    expect(missing).toEqual([]);
  });

  it('has an entry for every path middleware answers under (GraphQL, blobs, exports)', () => {
    const { prefixes } = mounted();
    expect(prefixes).toContain('/graphql');
    const missing = prefixes.filter(
      (prefix) => !table.some((entry) => entry.example === prefix || entry.example.startsWith(`${prefix}/`)),
    );
    expect(missing).toEqual([]);
    expect(EXPORT_ROUTE.test(table.find((e) => e.path === String(EXPORT_ROUTE))!.example)).toBe(true);
  });

  it('mints every signed link only in fields whose gate needs the action the link grants', () => {
    const schema = api.server.schema;
    for (const entry of table) {
      if (!('signedLink' in entry.gate)) continue;
      for (const [key, action] of Object.entries(entry.gate.mintedBy)) {
        const [type, name] = key.split('.') as [string, string];
        const object = schema.getType(type);
        if (!isObjectType(object)) throw new Error(`${key}: ${type} is not an object type`);
        const rules = gateOf(object.getFields()[name]!);
        expect(
          rules?.some((rule) => 'action' in rule && rule.action === action),
          key,
        ).toBe(true);
      }
    }
  });
});
