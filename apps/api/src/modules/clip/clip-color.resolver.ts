import { decideColor } from '@rushes/schema/color';
import { normalizedClipMetadata } from '@rushes/schema/metadata';
import { parseColorPipeline } from '@rushes/schema/render-settings';
import { Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Gate } from '../../auth/gate.ts';
import type { Context } from '../../context.ts';
import { ColorDecision, toColorDecision } from './clip-color.type.ts';
import { Clip } from './clip.type.ts';

@Resolver(() => Clip)
export class ClipColorResolver {
  @FieldResolver(() => ColorDecision, {
    description: "How the clip's renders are coloured, from the same policy the worker renders with.",
  })
  @Gate({ action: 'read', from: 'parent' })
  async colorDecision(@Root() clip: Clip, @Ctx() ctx: Context): Promise<ColorDecision> {
    const production = await ctx.loaders.production.load(clip.productionId);
    // An unprobed clip (or a document without colour facts) has no camera answer: unknown.
    const camera = normalizedClipMetadata.shape.color.safeParse(clip.document?.['color']);
    return toColorDecision(
      decideColor({
        camera: camera.success ? camera.data : undefined,
        production: parseColorPipeline(production?.colorPipeline),
      }),
    );
  }
}
