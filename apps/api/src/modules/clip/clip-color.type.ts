import { COLOR_SOURCES, LOOK_SOURCES, type ColorDecision as Decision } from '@rushes/schema/color';
import { Field, ObjectType, registerEnumType } from 'type-graphql';

/** GraphQL enum values cannot hold `-`: `camera-metadata` is `camera_metadata` on the wire. */
const enumOf = <T extends string>(values: readonly T[]) =>
  Object.fromEntries(values.map((value) => [value.replace(/-/g, '_'), value])) as Record<string, T>;

export const ColorSource = enumOf(COLOR_SOURCES);
registerEnumType(ColorSource, {
  name: 'ColorSource',
  description:
    "Where a clip's input colour space came from: its own override, its roll's, the camera's metadata, the production's default, or unknown (nothing names it).",
});

export const LookSource = enumOf(LOOK_SOURCES);
registerEnumType(LookSource, {
  name: 'LookSource',
  description: "Whose look a clip's renders apply: the clip's, its roll's or the production's.",
});

@ObjectType({
  description:
    "How a clip's renders are coloured and where each choice came from (the colour policy's answer).",
})
export class ColorDecision {
  @Field(() => String, {
    nullable: true,
    description:
      'Input colour space, an ACES input transform id (see `rushes-engine colorspaces`); null when nothing names it: the picture is rendered as Rec.709 video.',
  })
  inputColorspace!: string | null;

  @Field(() => ColorSource)
  source!: string;

  @Field(() => LookSource, { nullable: true, description: 'Null: no look.' })
  lookSource!: string | null;
}

export function toColorDecision(decision: Decision): ColorDecision {
  return Object.assign(new ColorDecision(), {
    inputColorspace: decision.input,
    source: decision.inputSource,
    lookSource: decision.lookSource,
  });
}
