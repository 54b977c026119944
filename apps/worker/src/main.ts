import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { createBlobStore, platformPlaces, protectedPlaces } from '@rushes/storage';
import { settingsOrExit } from '@rushes/schema/settings';
import { pino } from 'pino';
import { loadWorkerSettings } from './config.ts';
import { startWorker } from './worker.ts';

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

const worker = await startWorker(settings, log, {
  store: createBlobStore(settings),
  storeForBucket: (bucket) =>
    createBlobStore({ ...settings, STORAGE_DRIVER: 's3', S3_BUCKET: bucket, S3_PREFIX: '' }),
  protectedPlaces: await protectedPlaces(platformPlaces(settings)),
}).catch((error: Error) => {
  // e.g. no ffmpeg anywhere: say so in one line rather than with a stack trace.
  log.fatal({ code: (error as { code?: string }).code }, `cannot start: ${error.message}`);
  process.exit(1);
});

const health = settings.PORT
  ? createServer((req, res) => {
      const ok = req.url === '/healthz';
      res.writeHead(ok ? 200 : 404, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify(
          ok ? { ok: true, workerId: settings.WORKER_ID, ...worker.counts } : { error: 'not found' },
        ),
      );
    }).listen(settings.PORT)
  : undefined;

let stopping = false;
async function shutdown(signal: string) {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'stopping: no new jobs, finishing running ones');
  health?.close();
  await worker.stop();
  log.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
