import { Field, ID, InputType } from 'type-graphql';
import { RollKind } from './roll.type.ts';

@InputType()
export class CreateRollInput {
  @Field(() => ID)
  productionId!: string;

  @Field(() => String, { description: 'e.g. A001: letters, digits, . _ -, up to 64.' })
  name!: string;

  @Field(() => RollKind, { nullable: true, defaultValue: RollKind.camera })
  kind?: RollKind;

  @Field(() => String, { nullable: true })
  cameraUnit?: string | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  shootDay?: string | null;
}

@InputType()
export class ImportRollInput {
  @Field(() => ID)
  productionId!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, {
    description: "An absolute folder path on the workers' machines, or s3://bucket/prefix.",
  })
  location!: string;

  @Field(() => String, { nullable: true, description: 'YYYY-MM-DD.' })
  shootDay?: string | null;
}
