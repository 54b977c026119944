import { parseArgs } from 'node:util';
import { ReadinessService } from '@rushes/data/readiness';
import { createBlobStore, platformPlaces, protectedPlaces } from '@rushes/storage';
import { settingsOrExit } from '@rushes/schema/settings';
import { pino } from 'pino';
import { loadWorkerSettings } from './config.ts';
import { HealthPortError, startHealthServer } from './health.ts';
import { startWorker, type RunningWorker } from './worker.ts';

/**
 * `node dist/main.js [--queues clip.verify,clip.probe] [--concurrency 4]`: the flags override
 * WORKER_QUEUES and WORKER_CONCURRENCY (e.g. proxy-only machines), and are checked the same way.
 */
function flagsAsSettings(argv: string[]): Record<string, string> {
  try {
    const { values } = parseArgs({
      args: argv,
      options: { queues: { type: 'string' }, concurrency: { type: 'string' } },
    });
    return {
      ...(values.queues !== undefined ? { WORKER_QUEUES: values.queues } : {}),
      ...(values.concurrency !== undefined ? { WORKER_CONCURRENCY: values.concurrency } : {}),
    };
  } catch (error) {
    console.error(
      `rushes worker: ${(error as Error).message}\nusage: node dist/main.js [--queues a,b] [--concurrency n]`,
    );
    process.exit(2);
  }
}

const settings = settingsOrExit(() =>
  loadWorkerSettings({ ...process.env, ...flagsAsSettings(process.argv.slice(2)) }),
);
const log = pino({ name: 'worker', level: settings.LOG_LEVEL });
const store = createBlobStore(settings);

// Probes first: a port in use stops the worker before it takes jobs or says "worker ready".
// Until the worker runs, /readyz and /metrics answer 503.
const started: { worker?: RunningWorker; readiness?: ReadinessService } = {};
let stopping = false;
const health = await startHealthServer(settings.WORKER_HEALTH_PORT, {
  readiness: () => (stopping ? undefined : started.readiness?.check()),
  info: () => ({ workerId: settings.WORKER_ID, stopping, ...started.worker?.counts }),
  metrics: () => started.worker?.metrics,
}).catch((error: Error) => {
  if (!(error instanceof HealthPortError)) throw error;
  log.fatal({ port: settings.WORKER_HEALTH_PORT }, `cannot start: ${error.message}`);
  process.exit(1);
});
log.info({ port: health.port }, 'health checks on /healthz, /readyz and /metrics');

const worker = await startWorker(settings, log, {
  store,
  storeForBucket: (bucket) =>
    createBlobStore({ ...settings, STORAGE_DRIVER: 's3', S3_BUCKET: bucket, S3_PREFIX: '' }),
  protectedPlaces: await protectedPlaces(platformPlaces(settings)),
}).catch((error: Error) => {
  // e.g. no ffmpeg anywhere: say so in one line rather than with a stack trace.
  log.fatal({ code: (error as { code?: string }).code }, `cannot start: ${error.message}`);
  process.exit(1);
});
started.worker = worker;
started.readiness = new ReadinessService({ db: worker.db, store });

async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info(
    { signal, drainSeconds: settings.WORKER_DRAIN_SECONDS },
    'stopping: no new jobs; running ones get WORKER_DRAIN_SECONDS to finish, then are handed back',
  );
  await worker.stop(settings.WORKER_DRAIN_SECONDS * 1000);
  await health.close();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
