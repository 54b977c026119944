import { Ctx, Query, Resolver } from 'type-graphql';
import { Gate } from '../../auth/gate.ts';
import type { Context } from '../../context.ts';
import { HealthService } from './health.service.ts';
import { Health } from './health.type.ts';

@Resolver()
export class HealthResolver {
  @Query(() => Health, { description: 'Liveness of the api and its database.' })
  @Gate({ public: 'liveness for operators and load balancers' })
  health(@Ctx() ctx: Context): Promise<Health> {
    return new HealthService(ctx.deps.db, ctx.deps.version).check();
  }
}
