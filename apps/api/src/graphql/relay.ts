/**
 * Relay building blocks: the `Node` interface, `PageInfo`, and connection types made per node
 * type. Cursors are opaque (`first`/`after`): keys of the last row for clips (keyset pages,
 * @rushes/data clip-filter), offsets into the requested order for the short lists (productions,
 * rolls, audit); totalCount is the size of the whole filtered set.
 */
import { COUNT_EXACT_UP_TO } from '@rushes/data/clips';
import { GraphQLError } from 'graphql';
import { ArgsType, Field, ID, Int, InterfaceType, ObjectType } from 'type-graphql';
import type { NodeType } from '../auth/ids.ts';

@InterfaceType({
  description: 'An object with a global id, fetchable with `node(id)`.',
  resolveType: (value: { nodeType: NodeType }) => value.nodeType,
})
export abstract class Node {
  @Field(() => ID, { description: 'Global id: opaque, stable, unique across types.' })
  id!: string;

  /** Which GraphQL type this object is (not a field). */
  nodeType!: NodeType;
}

@ObjectType()
export class PageInfo {
  @Field(() => Boolean)
  hasNextPage!: boolean;

  @Field(() => Boolean)
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export const MAX_PAGE = 500;
export const DEFAULT_PAGE = 50;

@ArgsType()
export class PageArgs {
  @Field(() => Int, {
    nullable: true,
    description: `Items to return: 1–${MAX_PAGE}, default ${DEFAULT_PAGE}.`,
  })
  first?: number | null;

  @Field(() => String, { nullable: true, description: 'Return the items after this cursor.' })
  after?: string | null;
}

export interface Page {
  offset: number;
  limit: number;
}

export interface Connection<T> {
  edges: { cursor: string; node: T }[];
  nodes: T[];
  pageInfo: PageInfo;
  /** A promise when counted on demand (see Extent). */
  totalCount: number | Promise<number>;
  totalCountExact: boolean | Promise<boolean>;
}

const badPage = (message: string, field: string) =>
  new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });

const encodeCursor = (offset: number) => Buffer.from(`o:${offset}`).toString('base64url');

/** Pure: how many items were asked for; BAD_USER_INPUT for a bad `first`. */
export function readPageSize(args: PageArgs): number {
  const limit = args.first ?? DEFAULT_PAGE;
  if (!Number.isInteger(limit) || limit < 1 || limit > MAX_PAGE) {
    throw badPage(`first must be between 1 and ${MAX_PAGE}; got ${limit}.`, 'first');
  }
  return limit;
}

/** Pure: the offset and limit asked for; BAD_USER_INPUT for a bad `first` or cursor. */
export function readPage(args: PageArgs): Page {
  const limit = readPageSize(args);
  if (!args.after) return { offset: 0, limit };
  const match = /^o:(\d{1,9})$/.exec(Buffer.from(args.after, 'base64url').toString());
  if (!match) throw badPage('after is not a cursor this api gave out.', 'after');
  return { offset: Number(match[1]) + 1, limit };
}

/**
 * What a connection knows of the whole set: its size, or (for large sets) whether a next page
 * follows and how to count it — counted only if `totalCount` is asked for.
 */
export type Extent = number | { hasMore: boolean; count: () => Promise<{ value: number; exact: boolean }> };

/** A connection from one page of rows (offset cursors) and the extent of the whole set. */
export function toConnection<T>(rows: T[], page: Page, extent: Extent): Connection<T> {
  return connection(
    rows,
    rows.map((_, i) => encodeCursor(page.offset + i)),
    page.offset > 0,
    typeof extent === 'number' ? { hasMore: page.offset + rows.length < extent, total: extent } : extent,
  );
}

/** A connection from one keyset page: its rows with their cursors, after a cursor or not. */
export function toKeysetConnection<T>(
  rows: T[],
  cursors: string[],
  afterCursor: boolean,
  extent: Exclude<Extent, number>,
): Connection<T> {
  return connection(rows, cursors, afterCursor, extent);
}

function connection<T>(
  rows: T[],
  cursors: string[],
  hasPreviousPage: boolean,
  extent: { hasMore: boolean; total: number } | Exclude<Extent, number>,
): Connection<T> {
  const edges = rows.map((node, i) => ({ cursor: cursors[i]!, node }));
  // Getters: GraphQL reads them only when the query selects them; a lazy count runs once for both.
  let counted: Promise<{ value: number; exact: boolean }> | undefined;
  const known = 'total' in extent ? extent.total : undefined;
  const count = () =>
    (counted ??= 'count' in extent ? extent.count() : Promise.resolve({ value: 0, exact: true }));
  return {
    edges,
    nodes: rows,
    get totalCount() {
      return known ?? count().then((c) => c.value);
    },
    get totalCountExact() {
      return known !== undefined || count().then((c) => c.exact);
    },
    pageInfo: {
      hasNextPage: extent.hasMore,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

type Class<T> = abstract new (...args: never[]) => T;

/** `<Name>Connection` and `<Name>Edge` types for a node class. */
export function connectionOf<T>(name: string, nodeClass: Class<T>) {
  @ObjectType(`${name}Edge`)
  class Edge {
    @Field(() => String)
    cursor!: string;

    @Field(() => nodeClass)
    node!: T;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [Edge])
    edges!: Edge[];

    @Field(() => [nodeClass], { description: 'The nodes of `edges`, for callers who need no cursors.' })
    nodes!: T[];

    @Field(() => PageInfo)
    pageInfo!: PageInfo;

    @Field(() => Int, {
      description: `Items in the whole filtered set, not just this page: exact up to ${COUNT_EXACT_UP_TO.toLocaleString('en-US')} matches; above that, PostgreSQL's estimate (totalCountExact says which), since an exact count would read every match.`,
    })
    totalCount!: number;

    @Field(() => Boolean, { description: 'Whether totalCount is an exact count (false: an estimate).' })
    totalCountExact!: boolean;
  }
  return ConnectionType;
}
