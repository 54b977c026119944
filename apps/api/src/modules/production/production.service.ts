import { auditEvents, productions } from '@rushes/schema/tables';
import { desc } from 'drizzle-orm';
import { drizzle } from 'drizzle-orm/node-postgres';
import { GraphQLError } from 'graphql';
import type pg from 'pg';
import type { Database } from '../../db.ts';
import type { Queue } from '../../queue.ts';
import { checkNewProduction, type NewProduction } from './production.rules.ts';
import type { Production, ProductionState } from './production.type.ts';

const UNIQUE_VIOLATION = '23505';

/** The SQLSTATE of a PostgreSQL error, also when Drizzle wrapped it as the `cause`. */
function pgErrorCode(error: unknown): string | undefined {
  for (let e = error; e instanceof Error; e = e.cause) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

function toProduction(row: typeof productions.$inferSelect): Production {
  const { id, name, code, createdAt } = row;
  return { id, name, code, createdAt, state: row.state as ProductionState };
}

export class ProductionService {
  constructor(
    private readonly db: Database,
    private readonly pool: pg.Pool,
    private readonly queue: Queue,
  ) {}

  async list(): Promise<Production[]> {
    const rows = await this.db.select().from(productions).orderBy(desc(productions.createdAt));
    return rows.map(toProduction);
  }

  /** Inserts the production, its audit event and its set-up job in one transaction. */
  async create(input: NewProduction): Promise<Production> {
    const checked = checkNewProduction(input);
    if (!checked.ok) {
      throw new GraphQLError(checked.message, {
        extensions: { code: 'BAD_USER_INPUT', field: checked.field },
      });
    }
    const client = await this.pool.connect();
    try {
      await client.query('begin');
      const tx = drizzle(client);
      const [row] = await tx.insert(productions).values(checked.value).returning();
      if (!row) throw new Error('insert returned no row');
      await tx.insert(auditEvents).values({
        productionId: row.id,
        action: 'production.created',
        subjectType: 'production',
        subjectId: row.id,
        data: { name: row.name, code: row.code },
      });
      await this.queue.send(client, 'production.setup', { productionId: row.id });
      await client.query('commit');
      return toProduction(row);
    } catch (error) {
      await client.query('rollback');
      if (pgErrorCode(error) === UNIQUE_VIOLATION) {
        throw new GraphQLError(`A production with code ${checked.value.code} already exists.`, {
          extensions: { code: 'CONFLICT', field: 'code' },
        });
      }
      throw error;
    } finally {
      client.release();
    }
  }
}
