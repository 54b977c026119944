import { Arg, Ctx, FieldResolver, Int, Resolver, Root } from 'type-graphql';
import { Gate } from '../../auth/gate.ts';
import type { Context } from '../../context.ts';
import { badInput } from '../../graphql/errors.ts';
import { Clip, toClip } from '../clip/clip.type.ts';
import { Rendition } from './rendition.type.ts';

/** Pure: the file name a download is offered under, e.g. A001C003_proxy-review.mp4. */
export function downloadName(clipFileName: string, renditionName: string, objectKey: string): string {
  const stem = clipFileName.replace(/\.[^.]+$/, '');
  const extension = objectKey.match(/\.[A-Za-z0-9]+$/)?.[0] ?? '';
  return `${stem}_${renditionName.replace(/[^\w.-]+/g, '-')}${extension}`;
}

@Resolver(() => Rendition)
export class RenditionResolver {
  @FieldResolver(() => Clip)
  @Gate({ action: 'read', from: 'parent' })
  async clip(@Root() rendition: Rendition, @Ctx() ctx: Context): Promise<Clip> {
    return toClip((await ctx.loaders.clip.load(rendition.clipId))!);
  }

  @FieldResolver(() => String, {
    nullable: true,
    description:
      'A signed link to the file, valid `expiresInSeconds` (60–86400, default 900); null until it is ready.',
  })
  @Gate({ action: 'read', from: 'parent' })
  async downloadUrl(
    @Root() rendition: Rendition,
    @Ctx() ctx: Context,
    @Arg('expiresInSeconds', () => Int, { defaultValue: 900 }) expiresInSeconds: number,
  ): Promise<string | null> {
    if (expiresInSeconds < 60 || expiresInSeconds > 86_400) {
      throw badInput('expiresInSeconds must be between 60 and 86400.', 'expiresInSeconds');
    }
    if (!rendition.objectKey || rendition.state !== 'ready') return null;
    const clip = await ctx.loaders.clip.load(rendition.clipId);
    return ctx.deps.store.signedGetUrl(rendition.objectKey, {
      expiresInSeconds,
      downloadName: downloadName(clip?.fileName ?? 'clip', rendition.name, rendition.objectKey),
    });
  }
}
