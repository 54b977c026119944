/**
 * Search across a production: rolls by name, clips by file name, card path, reel, scene, take,
 * camera model, lens or sound note — one box for "where is A003C012" or "scene 42".
 */
import { escapeLike } from '@rushes/data/clip-filter';
import { searchClips } from '@rushes/data/clips';
import { searchRolls } from '@rushes/data/rolls';
import { Arg, Ctx, Field, ID, Int, ObjectType, Query, Resolver } from 'type-graphql';
import { Gate } from '../../auth/gate.ts';
import type { Context } from '../../context.ts';
import { badInput } from '../../graphql/errors.ts';
import { Clip, toClip } from '../clip/clip.type.ts';
import { productionFor } from '../production/production.resolver.ts';
import { Roll, toRoll } from '../roll/roll.type.ts';

@ObjectType()
export class SearchResults {
  @Field(() => [Roll])
  rolls!: Roll[];

  @Field(() => [Clip], { description: 'Best first: name matches, then other fields; up to `first`.' })
  clips!: Clip[];
}

@Resolver()
export class SearchResolver {
  @Query(() => SearchResults, { description: 'Rolls and clips of a production matching the text.' })
  @Gate({ action: 'read', from: 'arguments' })
  async search(
    @Arg('productionId', () => ID) productionId: string,
    @Arg('text', () => String) text: string,
    @Ctx() ctx: Context,
    @Arg('first', () => Int, { defaultValue: 50 }) first: number,
  ): Promise<SearchResults> {
    const production = await productionFor(ctx, productionId);
    const words = text.trim();
    if (words.length < 2 || words.length > 200) throw badInput('Search for 2–200 characters.', 'text');
    if (first < 1 || first > 200) throw badInput('first must be between 1 and 200.', 'first');
    const pattern = `%${escapeLike(words)}%`;
    const [rollRows, clipRows] = await Promise.all([
      searchRolls(ctx.deps.db, production.dbId, pattern, first),
      searchClips(ctx.deps.db, production.dbId, pattern, first),
    ]);
    return { rolls: rollRows.map(toRoll), clips: clipRows.map(toClip) };
  }
}
