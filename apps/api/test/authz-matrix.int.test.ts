/**
 * The authorization matrix, generated from the schema (issue #20): every root field of Query and
 * Mutation is called — by an anonymous caller, and by a coordinator of another production aiming
 * at this production's objects — with arguments built from its signature. None may succeed, and
 * no table changes. A field added to the schema is covered without touching this file; one that
 * is meant to be public must be named in PUBLIC, with why.
 */
import { toGlobalId, type NodeType } from '../src/auth/ids.ts';
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
} from 'graphql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRoll } from './support/seed.ts';
import { startTestApi, type TestApi } from './support/api.ts';

/** Root fields anyone may call, and why. */
const PUBLIC: Record<string, string> = {
  'Query.health': 'liveness for operators and load balancers',
  'Query.setupRequired': 'the first visitor creates the administrator',
  'Query.viewer': 'says who is calling (null when nobody)',
  'Mutation.signIn': 'how a person gets a session',
  'Mutation.signUp': 'first administrator, or an invitation holder',
  'Mutation.signOut': 'ends the caller’s own session, if any',
};

let api: TestApi;
let admin: string;
let outsiderKey: string;
/** Global ids of Bravo's objects, by type: what the outsider aims at. */
const target: Partial<Record<NodeType, string>> = {};

const TABLES = [
  'productions',
  'rolls',
  'clips',
  'renditions',
  'tasks',
  'production_members',
  'api_keys',
  'import_roots',
  'uploads',
  'users',
];

async function counts(): Promise<Record<string, number>> {
  const result: Record<string, number> = {};
  for (const table of TABLES) {
    const { rows } = await api.resources.pool.query<{ n: number }>(`select count(*)::int as n from ${table}`);
    result[table] = rows[0]!.n;
  }
  return result;
}

/** Pure: the node type an ID argument most likely names, from its name. */
function typeFor(argName: string): NodeType {
  const name = argName.toLowerCase();
  for (const [hint, type] of [
    ['production', 'Production'],
    ['roll', 'Roll'],
    ['clip', 'Clip'],
    ['rendition', 'Rendition'],
    ['task', 'Task'],
    ['member', 'Member'],
    ['key', 'ApiKey'],
    ['root', 'ImportRoot'],
  ] as const) {
    if (name.includes(hint)) return type;
  }
  return 'Clip';
}

/** A value for an argument of `type`: Bravo's ids for IDs, a plausible value for the rest. */
function valueFor(type: GraphQLInputType, name: string, depth = 0): unknown {
  if (isNonNullType(type)) return valueFor(type.ofType, name, depth);
  if (isListType(type)) return [valueFor(type.ofType, name, depth)];
  if (isEnumType(type)) return type.getValues()[0]!.value;
  if (isInputObjectType(type)) {
    const object: Record<string, unknown> = {};
    for (const field of Object.values(type.getFields())) {
      if (isNonNullType(field.type) || depth < 1)
        object[field.name] = valueFor(field.type, field.name, depth + 1);
    }
    return object;
  }
  if (isScalarType(type)) {
    switch (type.name) {
      case 'ID':
        return target[typeFor(name)] ?? target.Production;
      case 'Int':
        return 1;
      case 'Float':
        return 1;
      case 'Boolean':
        return true;
      case 'DateTimeISO':
        return '2026-11-20T00:00:00.000Z';
      default:
        return name.toLowerCase().includes('email') ? 'x@example.com' : name === 'location' ? '/tmp' : 'x';
    }
  }
  return null;
}

/** The operation calling `field` with every argument, selecting `__typename` where it can. */
function operationFor(kind: 'query' | 'mutation', field: GraphQLField<unknown, unknown>) {
  const args = field.args as readonly GraphQLArgument[];
  const variables: Record<string, unknown> = {};
  const declared = args.map((a) => `$${a.name}: ${String(a.type)}`).join(', ');
  for (const arg of args) variables[arg.name] = valueFor(arg.type, arg.name);
  const passed = args.map((a) => `${a.name}: $${a.name}`).join(', ');
  const named = getNamedType(field.type);
  const selection = isScalarType(named) || isEnumType(named) ? '' : ' { __typename }';
  const text = `${kind}${declared ? `(${declared})` : ''} { ${field.name}${passed ? `(${passed})` : ''}${selection} }`;
  return { text, variables };
}

beforeAll(async () => {
  api = await startTestApi();
  admin = await api.signUp('admin@example.com');
  const made = await api.graphql(
    'mutation { a: createProduction(input: { name: "Alpha", code: "AL" }) { id } b: createProduction(input: { name: "Bravo", code: "BR" }) { id } }',
    {},
    admin,
  );
  const alpha = made.body.data.a.id as string;
  target.Production = made.body.data.b.id as string;
  const bravoId = Buffer.from(target.Production, 'base64url').toString().split(':')[1]!;
  const seeded = await seedRoll(api.resources.db, api.store, bravoId, 'B001', [
    {
      fileName: 'B001C001.mov',
      reel: 'B001',
      startTimecode: '10:00:00:00',
      startFrame: 864000,
      durationFrames: 48,
    },
  ]);
  target.Roll = toGlobalId('Roll', seeded.roll.id);
  target.Clip = toGlobalId('Clip', seeded.clips[0]!.id);
  const { rows: rendition } = await api.resources.pool.query<{ id: string }>(
    'select id from renditions where clip_id = $1 limit 1',
    [seeded.clips[0]!.id],
  );
  if (rendition[0]) target.Rendition = toGlobalId('Rendition', rendition[0].id);
  const { rows: task } = await api.resources.pool.query<{ id: string }>(
    'select id from tasks where clip_id = $1 limit 1',
    [seeded.clips[0]!.id],
  );
  if (task[0]) target.Task = toGlobalId('Task', task[0].id);
  const { rows: adminRow } = await api.resources.pool.query<{ id: string }>('select id from users limit 1');
  target.Member = toGlobalId('Member', `${bravoId}:${adminRow[0]!.id}`);
  const key = await api.graphql(
    'mutation($p: [ID!]!) { createApiKey(name: "other", productionIds: $p, role: coordinator) { secret } }',
    { p: [alpha] },
    admin,
  );
  outsiderKey = key.body.data.createApiKey.secret;
  const bravoKey = await api.graphql(
    'mutation($p: [ID!]!) { createApiKey(name: "bravo", productionIds: $p, role: vendor) { apiKey { id } } }',
    { p: [target.Production] },
    admin,
  );
  target.ApiKey = bravoKey.body.data.createApiKey.apiKey.id;
  const root = await api.graphql(
    'mutation($l: String!) { addImportRoot(input: { location: $l }) { id } }',
    { l: '/mnt' },
    admin,
  );
  target.ImportRoot = root.body.data.addImportRoot.id;
}, 60_000);

afterAll(() => api?.stop());

const rootFields = async (kind: 'query' | 'mutation') => {
  const type = kind === 'query' ? api.server.schema.getQueryType()! : api.server.schema.getMutationType()!;
  return Object.values(type.getFields()).filter((f) => !PUBLIC[`${type.name}.${f.name}`]);
};

describe('authorization matrix (generated from the schema)', () => {
  it('covers every root field that is not declared public', async () => {
    const fields = [...(await rootFields('query')), ...(await rootFields('mutation'))];
    expect(fields.length).toBeGreaterThan(20);
  });

  for (const kind of ['query', 'mutation'] as const) {
    it(`refuses every ${kind} to an anonymous caller`, async () => {
      const before = await counts();
      const leaks: string[] = [];
      for (const field of await rootFields(kind)) {
        const { text, variables } = operationFor(kind, field);
        const { body } = await api.graphql(text, variables);
        const value = body.data?.[field.name];
        const codes = (body.errors ?? []).map((e: { extensions?: { code?: string } }) => e.extensions?.code);
        if (value !== undefined && value !== null)
          leaks.push(`${field.name}: answered ${JSON.stringify(value)}`);
        else if (
          !codes.some((c: string | undefined) =>
            ['UNAUTHENTICATED', 'BAD_USER_INPUT', 'GRAPHQL_VALIDATION_FAILED'].includes(c ?? ''),
          )
        )
          leaks.push(`${field.name}: ${JSON.stringify(body.errors ?? 'no error')}`);
      }
      expect(leaks).toEqual([]);
      expect(await counts()).toEqual(before);
    });

    it(`refuses every ${kind} on another production's objects to its coordinator`, async () => {
      const before = await counts();
      const leaks: string[] = [];
      for (const field of await rootFields(kind)) {
        const { text, variables } = operationFor(kind, field);
        const { body } = await api.graphql(text, variables, outsiderKey);
        const value = body.data?.[field.name];
        // Lists and connections of the caller's own productions are fine; nothing of Bravo's may show.
        const shown = JSON.stringify(value ?? null);
        if (kind === 'mutation' && value !== undefined && value !== null && value !== false)
          leaks.push(`${field.name}: did ${shown}`);
        if (/B001|Bravo/.test(shown)) leaks.push(`${field.name}: showed ${shown}`);
      }
      expect(leaks).toEqual([]);
      expect(await counts()).toEqual(before);
    });
  }
});
