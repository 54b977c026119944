/**
 * Filters that match several values of one column — lens contains (`%cooke%` matches every Cooke
 * lens), a colour name (every clip whose colour terms include it), a range of recorded dates —
 * read value by value (issue 22). Their matches cluster in a few cameras' rolls, so walking the
 * name index and skipping the rest read half of a million clips (1.1–1.3 s); sorting every match
 * cost as much. Instead, the column's distinct values are walked through its index (a loose index
 * scan: one probe per value), those the filter keeps are listed, and a page is the union of one
 * scan per value, each in name order through (production, value, name, path, id), merged. Only
 * for the name order, and only when the values are few (SPLIT_VALUES_LIMIT); otherwise the
 * listing runs as before.
 */
import { clips } from '@rushes/schema/tables';
import { sql, type SQL } from 'drizzle-orm';
import type { AnyPgColumn } from 'drizzle-orm/pg-core';
import { escapeLike, type ClipFilterValues } from './clip-filter.ts';

/** More values than this and a page would be too many scans: the listing runs unsplit. */
export const SPLIT_VALUES_LIMIT = 64;
/** Distinct values walked at most to find them; a column with more is not split. */
export const SPLIT_WALK_LIMIT = 2_000;

/** A column whose values a filter picks, and how to tell which. */
export interface ClipSplit {
  column: AnyPgColumn;
  /** The column's SQL type: the values travel as text and are cast back. */
  type: 'text' | 'text[]' | 'date';
  /** The smallest and largest value worth walking, as text of `type`. */
  from?: string;
  to?: string;
  /** Whether the filter keeps value `v` (a condition on it). */
  keeps: (v: SQL) => SQL;
}

/** Pure: a date's UTC day, as PostgreSQL writes a date. */
const utcDay = (at: Date) => at.toISOString().slice(0, 10);

/** Pure: the split a filter allows, if any (the first of lens, colour, recorded range). */
export function splitOf(filter: ClipFilterValues): ClipSplit | undefined {
  if (filter.lens) {
    const pattern = `%${escapeLike(filter.lens)}%`;
    return { column: clips.lensModel, type: 'text', keeps: (v) => sql`${v} ilike ${pattern}` };
  }
  if (filter.colorSpace) {
    const term = filter.colorSpace;
    return { column: clips.colorTerms, type: 'text[]', keeps: (v) => sql`${v} @> array[lower(${term})]` };
  }
  if (filter.recordedFrom || filter.recordedTo) {
    return {
      column: clips.recordedDay,
      type: 'date',
      ...(filter.recordedFrom ? { from: utcDay(filter.recordedFrom) } : {}),
      ...(filter.recordedTo ? { to: utcDay(filter.recordedTo) } : {}),
      // Each day's scan keeps the exact range's own conditions (the first and last day partly).
      keeps: () => sql`true`,
    };
  }
  return undefined;
}

/**
 * The statement listing the values of `split` in the production that its filter keeps, as text,
 * with how many distinct values were walked: a recursive CTE stepping from one value to the next
 * through the (production, value, …) index.
 */
export function splitValuesQuery(split: ClipSplit, productionId: string): SQL {
  const column = sql.identifier(split.column.name);
  const type = sql.raw(split.type);
  const from = split.from === undefined ? sql`` : sql` and ${column} >= ${split.from}::${type}`;
  const to = split.to === undefined ? sql`` : sql` and ${column} <= ${split.to}::${type}`;
  const walk = sql`with recursive walked(v, n) as (
      (select ${column}, 1 from clips where production_id = ${productionId} and ${column} is not null${from}${to}
        order by ${column} limit 1)
      union all
      select (select ${column} from clips where production_id = ${productionId} and ${column} > walked.v${to}
                order by ${column} limit 1), walked.n + 1
        from walked where walked.v is not null and walked.n < ${SPLIT_WALK_LIMIT}
    )`;
  return sql`${walk}
    select coalesce(array_agg(v::text) filter (where v is not null and ${split.keeps(sql`v`)}), '{}') as values,
           coalesce(max(n), 0)::int as walked
      from walked`;
}

/** Pure: the condition of one value's scan. */
export function splitCondition(split: ClipSplit, value: string): SQL {
  return sql`${split.column} = ${value}::${sql.raw(split.type)}`;
}

/**
 * Pure: whether a walk's result can split a page: it saw every distinct value (fewer than the
 * walk's limit) and kept at most SPLIT_VALUES_LIMIT of them.
 */
export function usableSplit(result: { values: string[]; walked: number }): string[] | undefined {
  if (result.walked >= SPLIT_WALK_LIMIT || result.values.length > SPLIT_VALUES_LIMIT) return undefined;
  return result.values;
}
