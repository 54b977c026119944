import 'reflect-metadata';
import type { GraphQLInterfaceType, GraphQLSchema } from 'graphql';
import { buildSchema, type BuildSchemaOptions } from 'type-graphql';
import { applyGate } from './auth/gate.ts';
import { RationalResolver, SOURCED_RESOLVERS } from './graphql/metadata.type.ts';
import { ActivityResolver } from './modules/activity/activity.resolver.ts';
import { ApiKeyResolver, ProductionApiKeysResolver } from './modules/apikey/apikey.resolver.ts';
import { ProductionAuditResolver } from './modules/audit/audit.resolver.ts';
import { AuthResolver } from './modules/auth/auth.resolver.ts';
import { ClipColorResolver } from './modules/clip/clip-color.resolver.ts';
import { ClipMutationResolver } from './modules/clip/clip.mutations.ts';
import { ClipResolver, ProductionClipsResolver, RollClipsResolver } from './modules/clip/clip.resolver.ts';
import { HealthResolver } from './modules/health/health.resolver.ts';
import {
  ImportRootResolver,
  ProductionImportRootsResolver,
} from './modules/import-root/import-root.resolver.ts';
import { MemberResolver, ProductionMembersResolver } from './modules/member/member.resolver.ts';
import { NodeResolver } from './modules/node/node.resolver.ts';
import { ProductionResolver } from './modules/production/production.resolver.ts';
import { RenditionResolver } from './modules/rendition/rendition.resolver.ts';
import { ProductionRollsResolver, RollResolver } from './modules/roll/roll.resolver.ts';
import { SearchResolver } from './modules/search/search.resolver.ts';
import { TaskResolver } from './modules/task/task.resolver.ts';
import { UploadResolver } from './modules/upload/upload.resolver.ts';

export const resolvers = [
  ActivityResolver,
  ApiKeyResolver,
  AuthResolver,
  ClipColorResolver,
  ClipMutationResolver,
  ClipResolver,
  HealthResolver,
  ImportRootResolver,
  MemberResolver,
  NodeResolver,
  ProductionApiKeysResolver,
  ProductionAuditResolver,
  ProductionClipsResolver,
  ProductionImportRootsResolver,
  ProductionMembersResolver,
  ProductionResolver,
  ProductionRollsResolver,
  RenditionResolver,
  RollClipsResolver,
  RollResolver,
  SearchResolver,
  TaskResolver,
  UploadResolver,
  RationalResolver,
] as const;

let built: Promise<GraphQLSchema> | undefined;

/**
 * Every subscription brings its own `subscribe` (fed by the LISTEN hub, events/hub.ts);
 * type-graphql still asks for a PubSub, so it gets one that says it is unused.
 */
const NO_PUBSUB = {
  publish(): never {
    throw new Error('subscriptions are fed by events/hub.ts, not by type-graphql topics');
  },
  subscribe(): never {
    throw new Error('subscriptions are fed by events/hub.ts, not by type-graphql topics');
  },
};

/** The schema, built once per process (type-graphql's metadata is global). */
export function buildApiSchema(): Promise<GraphQLSchema> {
  // Inputs are validated by the modules' own pure rules, not class-validator.
  built ??= buildSchema({
    resolvers: [...resolvers, ...SOURCED_RESOLVERS] as BuildSchemaOptions['resolvers'],
    validate: false,
    pubSub: NO_PUBSUB,
  }).then((schema) => {
    // type-graphql wraps an interface's resolveType in an async function; graphql-jit (our
    // executor) needs it synchronous. Every node carries its type name, so this is exact.
    const node = schema.getType('Node') as GraphQLInterfaceType;
    node.resolveType = (value) => (value as { nodeType: string }).nodeType;
    // Every root field and resolved field behind the authorization gate; none may lack one.
    return applyGate(schema);
  });
  return built;
}
