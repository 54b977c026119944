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

const PUBLIC_URL = 'http://127.0.0.1:4000';

/** Rate limits high enough never to refuse one benchmark client (still counted, as shipped). */
export const UNREFUSED_RATE_LIMITS = {
  ipPerMinute: 1e9,
  principalPerMinute: 1e9,
  wsConnectionsPerIp: 1e6,
  wsOperationsPerMinute: 1e9,
};

/** The api's dependencies on database `url`; `close()` stops and removes them. */
export async function openApiDeps(url: string, log: Logger, folderPrefix: string) {
  const fail = (error: Error) => {
    throw error;
  };
  const resources = createDatabase(url, fail);
  const queue = await startQueue(resources.pool, fail);
  const events = new EventHub(url, log);
  await events.start();
  const storeDir = await mkdtemp(path.join(tmpdir(), folderPrefix));
  const secret = 'b'.repeat(32);
  const store = new LocalBlobStore({ root: storeDir, secret, publicUrl: PUBLIC_URL });
  const deps = {
    ...resources,
    queue,
    log,
    version: 'bench',
    store,
    events,
    signingSecret: secret,
    publicUrl: PUBLIC_URL,
    // Browsing never imports or signs in: nothing protected to list, the default limits.
    protectedPlaces: [],
    signInThrottle: new SignInThrottle(resources.pool, DEFAULT_SIGN_IN_LIMITS),
  };
  return {
    deps,
    async close() {
      await events.stop();
      await queue.stop();
      await resources.pool.end();
      await rm(storeDir, { recursive: true, force: true });
    },
  };
}
