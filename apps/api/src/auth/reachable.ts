import type { Context } from '../context.ts';
import { badInput } from '../graphql/errors.ts';
import { authorize, notFound } from './gate.ts';
import { fromGlobalId, type NodeType } from './ids.ts';
import { production, type ProductionAction } from './policy.ts';

/**
 * The row a global id names, if the caller may do `action` in its production. An unknown id and
 * one in a production the caller cannot read get the same NOT_FOUND, so an answer never tells
 * whether an object exists elsewhere; an id of another type is BAD_USER_INPUT on `field`.
 */
export async function reachable<T>(
  ctx: Context,
  globalId: string,
  expected: { type: NodeType; what: string; field: string },
  load: (id: string) => Promise<T | undefined>,
  productionOf: (row: T) => string,
  action: ProductionAction = 'read',
): Promise<T> {
  authorize(ctx, 'browse', { kind: 'self' });
  const decoded = fromGlobalId(globalId);
  if (decoded?.type !== expected.type)
    throw badInput(`"${globalId}" is not a ${expected.what} id.`, expected.field);
  const row = await load(decoded.id);
  if (!row) throw notFound(expected.what);
  authorize(ctx, action, production(productionOf(row), expected.what));
  return row;
}
