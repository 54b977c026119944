import { auditEventsOfProduction } from '@rushes/data/audit';
import { Args, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import { Gate } from '../../auth/gate.ts';
import type { Context } from '../../context.ts';
import { PageArgs, readPage, toConnection } from '../../graphql/relay.ts';
import { Production } from '../production/production.type.ts';
import { AuditEventConnection, toAuditEvent } from './audit.type.ts';

@Resolver(() => Production)
export class ProductionAuditResolver {
  @FieldResolver(() => AuditEventConnection, {
    nullable: true,
    description: 'Who did what, newest first (coordinators and owners; null for others).',
  })
  @Gate({ action: 'oversee', from: 'parent', otherwise: 'null' })
  async auditEvents(
    @Root() production: Production,
    @Args(() => PageArgs) args: PageArgs,
    @Ctx() ctx: Context,
  ) {
    const page = readPage(args);
    const { rows, total } = await auditEventsOfProduction(ctx.deps.db, production.dbId, page);
    return toConnection(rows.map(toAuditEvent), page, total);
  }
}
