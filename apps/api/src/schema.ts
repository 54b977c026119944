import 'reflect-metadata';
import type { GraphQLSchema } from 'graphql';
import { buildSchema } from 'type-graphql';
import { HealthResolver } from './modules/health/health.resolver.ts';
import { ProductionResolver } from './modules/production/production.resolver.ts';

export function buildApiSchema(): Promise<GraphQLSchema> {
  // Inputs are validated by the services' own rules (zod-free pure functions), not class-validator.
  return buildSchema({ resolvers: [HealthResolver, ProductionResolver], validate: false });
}
