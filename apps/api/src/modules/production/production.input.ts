import { Field, InputType } from 'type-graphql';

@InputType()
export class CreateProductionInput {
  @Field(() => String, { description: 'Display name, 1–200 characters.' })
  name!: string;

  @Field(() => String, {
    description: '2–16 letters, digits, - or _; stored upper-case; unique across the instance.',
  })
  code!: string;
}
