import { sql } from 'drizzle-orm';
import type { Database } from '@rushes/data/db';
import type { Health } from './health.type.ts';

export class HealthService {
  constructor(
    private readonly db: Database,
    private readonly version: string,
  ) {}

  /** Never throws: an unreachable database is reported, not raised. */
  async check(): Promise<Health> {
    try {
      const result = await this.db.execute<{ version: string }>(
        sql`select current_setting('server_version') as version`,
      );
      const version = result.rows[0]?.version ?? 'unknown';
      return { ok: true, database: `PostgreSQL ${version}`, version: this.version };
    } catch {
      return { ok: false, database: null, version: this.version };
    }
  }
}
