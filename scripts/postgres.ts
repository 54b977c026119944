/**
 * The embedded PostgreSQL as a child process of `npm start`: started here, its URL sent to the
 * parent over IPC, stopped cleanly on SIGTERM.
 */
import { startEmbeddedPostgres } from './lib/embedded-postgres.ts';

const dataDir = process.env['RUSHES_PG_DATA_DIR'];
const port = Number(process.env['RUSHES_PG_PORT']);
if (!dataDir || !Number.isInteger(port)) {
  console.error('scripts/postgres.ts is started by scripts/start.ts (RUSHES_PG_DATA_DIR, RUSHES_PG_PORT)');
  process.exit(2);
}

try {
  const server = await startEmbeddedPostgres({ dataDir, port });
  const stop = async () => {
    await server.stop();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.on('SIGINT', () => void stop());
  process.send?.({ serverUrl: server.serverUrl });
} catch (error) {
  console.error((error as Error).message);
  process.exit(1);
}
