import { PROXY_PROFILE_IDS } from '@rushes/schema/profiles';
import { PROFILE_COLOR_MODES } from '@rushes/schema/render-settings';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Field, ID, InputType, Int } from 'type-graphql';

@InputType()
export class CreateProductionInput {
  @Field(() => String, { description: 'Display name, 1–200 characters.' })
  name!: string;

  @Field(() => String, {
    description: '2–16 letters, digits, - or _; stored upper-case; unique across the instance.',
  })
  code!: string;
}

@InputType({ description: 'Only the fields given change.' })
export class UpdateProductionInput {
  @Field(() => ID)
  id!: string;

  @Field(() => String, { nullable: true })
  name?: string | null;

  @Field(() => Int, { nullable: true, description: 'Default frame rate numerator (24000 for 23.976).' })
  fpsNum?: number | null;

  @Field(() => Int, { nullable: true })
  fpsDen?: number | null;

  @Field(() => [GraphQLJSONObject], {
    nullable: true,
    description: `Editors' proxies: \`[{ "id": ${PROXY_PROFILE_IDS.map((id) => `"${id}"`).join(' | ')}, "maxWidth"?, "burnIns"?: { timecode, clipName, reel, frameCounter, frameCounterStart }, "color"?: ${PROFILE_COLOR_MODES.map((m) => `"${m}"`).join(' | ')} }]\`.`,
  })
  proxyProfiles?: Record<string, unknown>[] | null;

  @Field(() => GraphQLJSONObject, {
    nullable: true,
    description:
      'Colour pipeline: `{ "look"?: { "slope": [r,g,b], "offset": [r,g,b], "power": [r,g,b], "saturation": s }, "inputColorspace"?: id }` (ASC CDL; the input colour space of clips whose camera metadata names none, an id of `rushes-engine colorspaces`).',
  })
  colorPipeline?: Record<string, unknown> | null;
}
