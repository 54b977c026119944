/**
 * What the api needs to run inside a benchmark's process, as main.ts wires it: the database and
 * its queue, the event hub, a local store in a temporary folder, and the default sign-in limits.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LocalBlobStore } from '@rushes/storage';
import type { Logger } from 'pino';
// The built api: Node's type stripping does not run type-graphql's decorators.
import { createDatabase } from '@rushes/api/db';
import { EventHub } from '@rushes/api/events';
import { startQueue } from '@rushes/api/queue';
import { DEFAULT_SIGN_IN_LIMITS, SignInThrottle } from '@rushes/api/sign-in-throttle';

/** Every bench process signs links for this address with this secret, so their links compare alike. */
export const BENCH_PUBLIC_URL = 'http://127.0.0.1:4000';
export const BENCH_SIGNING_SECRET = 'b'.repeat(32);

/** Rate limits high enough never to refuse one benchmark client (still counted, as shipped). */
export const UNREFUSED_RATE_LIMITS = {
  ipPerMinute: 1e9,
  principalPerMinute: 1e9,
  wsConnectionsPerIp: 1e6,
  wsOperationsPerMinute: 1e9,
};

/**
 * The api's dependencies on database `url`; `close()` stops them and removes the store's folder
 * when it made one (a temporary folder starting with `folderPrefix`, unless `storeDir` is given).
 */
export async function openApiDeps(
  url: string,
  log: Logger,
  where: { folderPrefix: string } | { storeDir: string },
) {
  const fail = (error: Error) => {
    throw error;
  };
  const resources = createDatabase(url, fail);
  const queue = await startQueue(resources.pool, fail);
  const events = new EventHub(url, log);
  await events.start();
  const storeDir =
    'storeDir' in where ? where.storeDir : await mkdtemp(path.join(tmpdir(), where.folderPrefix));
  const secret = BENCH_SIGNING_SECRET;
  const store = new LocalBlobStore({ root: storeDir, secret, publicUrl: BENCH_PUBLIC_URL });
  const deps = {
    ...resources,
    queue,
    log,
    version: 'bench',
    store,
    events,
    signingSecret: secret,
    publicUrl: BENCH_PUBLIC_URL,
    // Browsing never imports or signs in: nothing protected to list, the default limits.
    protectedPlaces: [],
    signInThrottle: new SignInThrottle(resources.pool, DEFAULT_SIGN_IN_LIMITS),
  };
  return {
    deps,
    storeDir,
    async close() {
      await events.stop();
      await queue.stop();
      await resources.pool.end();
      if (!('storeDir' in where)) await rm(storeDir, { recursive: true, force: true });
    },
  };
}
