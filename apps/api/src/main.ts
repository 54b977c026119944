import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { settingsOrExit } from '@rushes/schema/settings';
import { createBlobStore, platformPlaces, protectedPlaces } from '@rushes/storage';
import { pino } from 'pino';
import { SignInThrottle, signInLimitsFrom } from './auth/sign-in-throttle.ts';
import { loadApiSettings } from './config.ts';
import { allowedOrigins } from './cors.ts';
import { createDatabase } from './db.ts';
import { EventHub } from './events/hub.ts';
import { startQueue } from './queue.ts';
import { rateLimitsFrom } from './rate-limits.ts';
import { createApiServer } from './server.ts';

const settings = settingsOrExit(() => loadApiSettings(process.env));
const log = pino({ name: 'api', level: settings.LOG_LEVEL });
const { version } = createRequire(import.meta.url)('../package.json') as { version: string };

const { db, pool } = createDatabase(
  settings.DATABASE_URL,
  (error) => log.warn({ err: error }, 'lost an idle database connection; it will be replaced'),
  settings.DATABASE_POOL_SIZE,
);
const queue = await startQueue(pool, (error) => log.error({ err: error }, 'queue error'));
const store = createBlobStore(settings);
const events = new EventHub(settings.DATABASE_URL, log);
await events.start();
const signingSecret =
  settings.API_SIGNING_SECRET ??
  settings.STORAGE_SIGNING_SECRET ??
  (log.warn('no API_SIGNING_SECRET: export links are signed with a per-process secret'),
  randomBytes(32).toString('base64url'));
const server = await createApiServer(
  {
    db,
    pool,
    queue,
    log,
    version,
    store,
    events,
    signingSecret,
    publicUrl: settings.PUBLIC_API_URL,
    protectedPlaces: await protectedPlaces(platformPlaces(settings)),
    signInThrottle: new SignInThrottle(pool, signInLimitsFrom(settings)),
  },
  {
    corsOrigins: allowedOrigins(settings),
    rateLimits: rateLimitsFrom(settings),
    trustProxy: settings.TRUST_PROXY,
    responseCacheBytes: settings.API_RESPONSE_CACHE_MB * 1024 * 1024,
  },
);
try {
  const port = await server.listen(settings.PORT, settings.HOST);
  log.info({ port }, `GraphQL on http://localhost:${port}/graphql (HTTP and WebSocket)`);
} catch (error) {
  const code = (error as NodeJS.ErrnoException).code;
  log.fatal(
    code === 'EADDRINUSE' ? `port ${settings.PORT} is already in use (set PORT)` : { err: error },
    'cannot listen',
  );
  process.exit(1);
}

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping');
  await server.stop();
  await events.stop();
  await queue.stop();
  await pool.end();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
