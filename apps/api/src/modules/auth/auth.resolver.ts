import { findUser, hasAnyAccount } from '@rushes/data/users';
import { Arg, Ctx, Field, ID, Mutation, ObjectType, Query, Resolver } from 'type-graphql';
import { isSignedIn } from '../../auth/access.ts';
import { Gate } from '../../auth/gate.ts';
import type { Context } from '../../context.ts';
import { Production, Role, toProduction } from '../production/production.type.ts';

@ObjectType({ description: 'A bearer token: send it as `Authorization: Bearer <token>`.' })
export class Session {
  @Field(() => String)
  token!: string;

  @Field(() => Date)
  expiresAt!: Date;
}

@ObjectType()
export class Membership {
  @Field(() => Production)
  production!: Production;

  @Field(() => Role)
  role!: Role;
}

@ObjectType({ description: 'Who is calling: a person (signed in) or an API key.' })
export class Viewer {
  @Field(() => ID, { nullable: true, description: 'The user, for a person.' })
  userId!: string | null;

  @Field(() => String, { nullable: true })
  email!: string | null;

  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field(() => Boolean, { description: 'Instance admin: sees every production.' })
  isAdmin!: boolean;

  @Field(() => Boolean, { description: 'True when calling with an API key.' })
  isApiKey!: boolean;

  @Field(() => [Membership])
  memberships!: Membership[];
}

@Resolver()
export class AuthResolver {
  @Mutation(() => Session, {
    description:
      'Creates an account. The first account of an instance becomes its admin; later ones need the invitation an owner received from addMember.',
  })
  @Gate({ public: 'the first administrator, or the holder of an invitation' })
  signUp(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String, {
      description: 'At least 10 characters, not blank, and not easy to guess (common passwords are refused).',
    })
    password: string,
    @Ctx() ctx: Context,
    @Arg('name', () => String, { nullable: true }) name?: string,
    @Arg('invitation', () => String, { nullable: true }) invitation?: string,
  ): Promise<Session> {
    return ctx.accounts.signUp({ email, password, name, invitation });
  }

  @Mutation(() => Session, {
    description:
      'Signs in; the token lasts 30 days or until signOut. Too many attempts for one account or from one address are refused with TOO_MANY_ATTEMPTS (extensions.retryAfterSeconds) before any password is checked.',
  })
  @Gate({ public: 'how a person gets a session' })
  signIn(
    @Arg('email', () => String) email: string,
    @Arg('password', () => String) password: string,
    @Ctx() ctx: Context,
  ): Promise<Session> {
    return ctx.accounts.signIn(email, password, ctx.clientAddress);
  }

  @Mutation(() => Boolean, { description: 'Ends the session whose token this request carries.' })
  @Gate({ action: 'act-as-person', from: 'self' })
  async signOut(@Ctx() ctx: Context): Promise<boolean> {
    return ctx.token ? ctx.accounts.signOut(ctx.token) : false;
  }

  @Query(() => Boolean, {
    description: 'True until the first account exists: the next signUp creates the instance admin.',
  })
  @Gate({ public: 'the first visitor creates the administrator' })
  async setupRequired(@Ctx() ctx: Context): Promise<boolean> {
    return !(await hasAnyAccount(ctx.deps.db));
  }

  @Query(() => Viewer, { nullable: true, description: 'The caller; null when anonymous.' })
  @Gate({ public: "the caller's own identity and memberships (null when anonymous)" })
  async viewer(@Ctx() ctx: Context): Promise<Viewer | null> {
    if (!isSignedIn(ctx.access)) return null;
    const user = ctx.access.userId ? await findUser(ctx.deps.db, ctx.access.userId) : undefined;
    const roles = [...ctx.access.roles];
    const rows = await Promise.all(roles.map(([productionId]) => ctx.loaders.production.load(productionId)));
    const memberships = rows.flatMap((row, i) =>
      row ? [{ production: toProduction(row), role: roles[i]![1] as Role }] : [],
    );
    return {
      userId: user?.id ?? null,
      email: user?.email ?? null,
      name: user?.name ?? null,
      isAdmin: ctx.access.admin,
      isApiKey: ctx.access.apiKeyId !== undefined,
      memberships,
    };
  }
}
