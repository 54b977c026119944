import { Arg, Ctx, Mutation, Query, Resolver } from 'type-graphql';
import type { Context } from '../../context.ts';
import { CreateProductionInput } from './production.input.ts';
import { Production } from './production.type.ts';

@Resolver(() => Production)
export class ProductionResolver {
  @Query(() => [Production], { description: 'Productions, newest first.' })
  productions(@Ctx() ctx: Context): Promise<Production[]> {
    return ctx.productions.list();
  }

  @Mutation(() => Production, {
    description: 'Creates a production; a worker then sets it up and marks it ready.',
  })
  createProduction(
    @Arg('input', () => CreateProductionInput) input: CreateProductionInput,
    @Ctx() ctx: Context,
  ): Promise<Production> {
    return ctx.productions.create(input);
  }
}
