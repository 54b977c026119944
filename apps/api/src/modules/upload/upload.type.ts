import { Field, Float, ID, InputType, Int, ObjectType } from 'type-graphql';

@ObjectType()
export class UploadPartTarget {
  @Field(() => Int)
  partNumber!: number;

  @Field(() => String, { description: "PUT this part's bytes here; keep the ETag response header." })
  url!: string;
}

@ObjectType({ description: 'Where to send one file of a card, in parts.' })
export class UploadTarget {
  @Field(() => ID)
  uploadId!: string;

  @Field(() => String)
  path!: string;

  @Field(() => Float)
  size!: number;

  @Field(() => Float, { description: 'Bytes per part; the last part holds the rest.' })
  partSize!: number;

  @Field(() => [UploadPartTarget])
  parts!: UploadPartTarget[];

  @Field(() => Date, { description: 'The part URLs stop working then; call beginUpload again to resume.' })
  expiresAt!: Date;
}

@InputType()
export class UploadedPartInput {
  @Field(() => Int)
  partNumber!: number;

  @Field(() => String)
  etag!: string;
}
