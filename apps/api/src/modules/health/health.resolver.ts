import { Ctx, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context.ts';
import { HealthService } from './health.service.ts';
import { Health } from './health.type.ts';

@Resolver()
export class HealthResolver {
  @Query(() => Health, { description: 'Liveness of the api and its database.' })
  health(@Ctx() ctx: Context): Promise<Health> {
    return new HealthService(ctx.deps.db, ctx.deps.version).check();
  }
}
