/**
 * The authorization gate over the whole schema: every root field and every field with its own
 * resolver declares its gate (a new one without fails here, and the schema refuses to build);
 * rules on the parent are enforced by the gate itself, and a field that must ask and does not
 * is an error rather than an answer.
 */
import {
  execute,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  isObjectType,
  parse,
  type GraphQLField,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import type { Access } from '../src/auth/access.ts';
import {
  applyGate,
  authorize,
  gateOf,
  GATE,
  resolvedFields,
  ungatedFields,
  type GateRule,
} from '../src/auth/gate.ts';
import { production } from '../src/auth/policy.ts';
import { buildApiSchema } from '../src/schema.ts';

const P = '11111111-1111-4111-8111-111111111111';
const Q = '22222222-2222-4222-8222-222222222222';
const vendorOfP: Access = { apiKeyId: 'k', admin: false, roles: new Map([[P, 'vendor']]) };

function field(schema: GraphQLSchema, key: string): GraphQLField<unknown, unknown> {
  const [type, name] = key.split('.') as [string, string];
  const object = schema.getType(type);
  if (!isObjectType(object)) throw new Error(`${type} is not an object type`);
  return object.getFields()[name]!;
}

describe('the gate over the api schema', () => {
  it('has a declared gate on every Query, Mutation and Subscription field and every resolved field', async () => {
    const schema = await buildApiSchema();
    expect(ungatedFields(schema)).toEqual([]);
    const keys = resolvedFields(schema);
    for (const root of [schema.getQueryType()!, schema.getMutationType()!, schema.getSubscriptionType()!]) {
      for (const name of Object.keys(root.getFields())) expect(keys).toContain(`${root.name}.${name}`);
    }
    // The fields that hand out data or links of their own are among them, with the rule the policy needs.
    const rules = (key: string) => gateOf(field(schema, key));
    expect(rules('Rendition.downloadUrl')).toEqual([{ action: 'read', from: 'parent' }]);
    expect(rules('Roll.aleUrl')).toEqual([{ action: 'export', from: 'parent', otherwise: 'null' }]);
    expect(rules('Production.members')).toEqual([{ action: 'oversee', from: 'parent', otherwise: 'null' }]);
    expect(rules('Production.apiKeys')).toEqual([
      { action: 'administer', from: 'parent', otherwise: 'null' },
    ]);
    expect(rules('Subscription.clipUpdated')).toEqual([{ action: 'read', from: 'arguments' }]);
    expect(rules('Mutation.addImportRoot')).toEqual([{ action: 'manage-import-roots', from: 'instance' }]);
  });

  it('says public only of the fields meant for anyone', async () => {
    const schema = await buildApiSchema();
    const open = resolvedFields(schema).filter((key) =>
      gateOf(field(schema, key))!.some((rule) => 'public' in rule),
    );
    expect(open.sort()).toEqual([
      'Mutation.signIn',
      'Mutation.signUp',
      'Query.health',
      'Query.setupRequired',
      'Query.viewer',
    ]);
  });

  it("refuses a rendition's download link to a caller who cannot read its production, however the rendition was reached", async () => {
    const schema = await buildApiSchema();
    const downloadUrl = field(schema, 'Rendition.downloadUrl').resolve!;
    const rendition = { nodeType: 'Rendition', productionId: Q, objectKey: 'k', state: 'ready' };
    // The gate answers before the resolver touches the store: the context needs nothing else.
    await expect(
      (async () => downloadUrl(rendition, { expiresInSeconds: 900 }, { access: vendorOfP }, {} as never))(),
    ).rejects.toMatchObject({ extensions: { code: 'NOT_FOUND' } });
    const members = field(schema, 'Production.members').resolve!;
    expect(members({ nodeType: 'Production', dbId: P }, {}, { access: vendorOfP }, {} as never)).toBeNull();
  });
});

/** A schema of one Query field `value` with `rules`, resolved by `resolve`. */
function tiny(rules: GateRule[] | undefined, resolve: (ctx: { access: Access }) => unknown) {
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: 'Query',
      fields: {
        value: {
          type: GraphQLString,
          ...(rules ? { extensions: { [GATE]: rules } } : {}),
          resolve: (_root, _args, ctx: { access: Access }) => resolve(ctx),
        },
      },
    }),
  });
}

async function run(schema: GraphQLSchema, access: Access = vendorOfP) {
  return execute({ schema, document: parse('{ value }'), contextValue: { access } });
}

describe('applyGate', () => {
  it('refuses to build a schema with a root field that declares no gate, naming it', () => {
    expect(() => applyGate(tiny(undefined, () => 'secret'))).toThrow(
      'These fields declare no authorization gate (@Gate): Query.value.',
    );
  });

  it('fails a field that must ask the gate and answers without asking, and lets one that asked answer', async () => {
    const rules: GateRule[] = [{ action: 'read', from: 'arguments' }];
    const silent = await run(applyGate(tiny(rules, () => 'secret')));
    expect(silent.data).toEqual({ value: null });
    expect(silent.errors?.[0]?.message).toBe('Query.value answered without asking the authorization gate.');
    const asking = await run(
      applyGate(
        tiny(rules, (ctx) => {
          authorize(ctx, 'read', production(P));
          return 'allowed';
        }),
      ),
    );
    expect(asking).toEqual({ data: { value: 'allowed' } });
    const refused = await run(
      applyGate(
        tiny(rules, (ctx) => {
          authorize(ctx, 'read', production(Q));
          return 'leaked';
        }),
      ),
    );
    expect(refused.errors?.[0]?.extensions).toEqual({ code: 'NOT_FOUND' });
  });

  it('checks instance and self rules before the resolver runs', async () => {
    let ran = false;
    const admin = applyGate(
      tiny([{ action: 'manage-import-roots', from: 'instance' }], () => {
        ran = true;
        return 'roots';
      }),
    );
    const result = await run(admin);
    expect(result.errors?.[0]?.extensions).toEqual({ code: 'FORBIDDEN' });
    expect(ran).toBe(false);
    expect(await run(admin, { userId: 'a', admin: true, roles: new Map() })).toEqual({
      data: { value: 'roots' },
    });
  });
});
