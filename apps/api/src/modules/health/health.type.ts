import { Field, ObjectType } from 'type-graphql';

@ObjectType({ description: 'Whether this api process can serve requests.' })
export class Health {
  @Field(() => Boolean, { description: 'True when the database answers.' })
  ok!: boolean;

  @Field(() => String, {
    nullable: true,
    description: 'The PostgreSQL server and its version, or null when it cannot be reached.',
  })
  database!: string | null;

  @Field(() => String, { description: 'The Rushes version of this api process.' })
  version!: string;
}
