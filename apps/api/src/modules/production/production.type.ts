import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';

export enum ProductionState {
  pending = 'pending',
  ready = 'ready',
}
registerEnumType(ProductionState, {
  name: 'ProductionState',
  description: 'pending until a worker has set the production up; then ready.',
});

@ObjectType({ description: 'A film or TV production: the unit of access and of storage.' })
export class Production {
  @Field(() => ID)
  id!: string;

  @Field(() => String)
  name!: string;

  @Field(() => String, { description: 'Short upper-case code used in paths and CLIs.' })
  code!: string;

  @Field(() => ProductionState)
  state!: ProductionState;

  @Field(() => Date)
  createdAt!: Date;
}
