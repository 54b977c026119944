/**
 * A clip's later jobs held for the worker that holds its original, on a real pg-boss queue: no
 * other worker can take such a job while it is held; run here it leaves the queue; if the holder
 * is busy or gone the hold lapses and any worker takes it; a stopping holder frees it at once.
 */
import { jobNames, queueOptions } from '@rushes/schema/jobs';
import { PgBoss, type JobResult } from 'pg-boss';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { LocalFirst, pgBossHoldingQueue, type LocalJob } from '../src/affinity.ts';

let database: TestDatabase;
let boss: PgBoss;
const clipId = '00000000-0000-4000-8000-000000000001';

beforeAll(async () => {
  database = await createTestDatabase();
  boss = new PgBoss({ connectionString: database.url, supervise: false, schedule: false });
  boss.on('error', () => {});
  await boss.start();
  for (const name of jobNames) await boss.createQueue(name, queueOptions(name));
});
afterAll(async () => {
  await boss?.stop({ graceful: false });
  await database?.drop();
});

/** What another worker would get from the shared queue now. */
const takenElsewhere = async () => (await boss.fetch('clip.probe')).map((j) => j.id);
const stateOf = async (id: string) => (await boss.getJobById('clip.probe', id))?.state;

function holder(run: (job: LocalJob) => Promise<JobResult>, capacity = 1, holdSeconds = 2) {
  const errors: unknown[] = [];
  const ran: string[] = [];
  const localFirst = new LocalFirst(
    pgBossHoldingQueue(boss),
    async (job) => {
      ran.push(job.id);
      return run(job);
    },
    { capacity, holdSeconds, retryDelaySeconds: () => 1, onError: (e) => errors.push(e) },
  );
  return { localFirst, ran, errors };
}

async function newestProbe(): Promise<string> {
  const { rows } = await boss
    .getDb()
    .executeSql("select id from pgboss.job where name = 'clip.probe' order by created_on desc limit 1");
  return (rows[0] as { id: string }).id;
}

describe('jobs held for the worker holding the original', () => {
  it('runs here, unseen by other workers, and leaves the queue once done', async () => {
    let release!: () => void;
    const running = new Promise<void>((resolve) => (release = resolve));
    const { localFirst, ran, errors } = holder(async (job) => {
      await running;
      return { id: job.id, status: 'completed' };
    });
    await localFirst.submit('clip.probe', { clipId });
    const id = await newestProbe();
    await waitFor('the job to run here', async () => (ran.length === 1 ? true : undefined), 5_000);
    // Held past its first 2 s while it runs here: the hold is renewed.
    await new Promise((resolve) => setTimeout(resolve, 3_000));
    expect(await takenElsewhere()).toEqual([]);
    release();
    await waitFor('the job to leave the queue', async () => ((await stateOf(id)) ? undefined : true), 5_000);
    expect(ran).toEqual([id]);
    expect(errors).toEqual([]);
  });

  it('lets any worker take a job its holder never ran (busy or gone) once the hold lapses', async () => {
    // Capacity 0: a holder that never gets to it, as one that died right after queuing it.
    const { localFirst, ran } = holder(async (job) => ({ id: job.id, status: 'completed' }), 0);
    await localFirst.submit('clip.probe', { clipId });
    const id = await newestProbe();
    expect(await takenElsewhere()).toEqual([]);
    const taken = await waitFor(
      'the hold to lapse',
      async () => {
        const ids = await takenElsewhere();
        return ids.length > 0 ? ids : undefined;
      },
      10_000,
    );
    expect(taken).toEqual([id]);
    expect(ran).toEqual([]);
    await boss.complete('clip.probe', id);
  });

  it('frees the jobs still waiting at once when the holder stops', async () => {
    const { localFirst } = holder(async (job) => ({ id: job.id, status: 'completed' }), 0, 60);
    await localFirst.submit('clip.probe', { clipId });
    const id = await newestProbe();
    expect(await takenElsewhere()).toEqual([]);
    await localFirst.stop();
    expect(await takenElsewhere()).toEqual([id]);
    await boss.complete('clip.probe', id);
  });

  it('gives a job that failed here (and may be retried) back to the queue after the retry delay', async () => {
    const { localFirst, ran } = holder(async (job) => ({
      id: job.id,
      status: 'failed',
      output: { code: 'STORE_UNAVAILABLE' },
    }));
    await localFirst.submit('clip.probe', { clipId });
    const id = await newestProbe();
    await waitFor('the job to run here', async () => (ran.length === 1 ? true : undefined), 5_000);
    const taken = await waitFor(
      'the job to be free again',
      async () => {
        const ids = await takenElsewhere();
        return ids.length > 0 ? ids : undefined;
      },
      10_000,
    );
    expect(taken).toEqual([id]);
  });

  it("takes over a clip's jobs queued for any worker, never one held for another worker", async () => {
    const other = '00000000-0000-4000-8000-000000000002';
    const free = [await boss.send('clip.probe', { clipId }), await boss.send('clip.probe', { clipId })];
    const heldElsewhere = await boss.send('clip.probe', { clipId }, { startAfter: 60 });
    const otherClip = await boss.send('clip.probe', { clipId: other });
    const { localFirst, ran } = holder(async (job) => ({ id: job.id, status: 'completed' }), 2);
    expect(await localFirst.adopt(clipId, ['clip.probe'])).toBe(2);
    // A second look (the clip's next job starting) adopts nothing twice.
    expect(await localFirst.adopt(clipId, ['clip.probe'])).toBe(0);
    await waitFor('both to run here', async () => (ran.length === 2 ? true : undefined), 5_000);
    expect([...ran].sort()).toEqual([...free].sort());
    await waitFor(
      'both to leave the queue',
      async () => {
        const states = await Promise.all(free.map((id) => stateOf(id!)));
        return states.every((s) => s === undefined) ? true : undefined;
      },
      5_000,
    );
    expect(await stateOf(heldElsewhere!)).toBe('created');
    expect(await takenElsewhere()).toEqual([otherClip]);
    await boss.complete('clip.probe', otherClip!);
    await boss.deleteJob('clip.probe', heldElsewhere!);
  });
});
