import { EVENTS_CHANNEL, parseStatusEvent, type StatusEvent } from '@rushes/schema/events';
import { clips, productions, rolls, tasks, users } from '@rushes/schema/tables';
import { eq } from 'drizzle-orm';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../../../test/support/database.ts';
import { waitFor } from '../../../test/support/wait.ts';
import { createDatabase, withTransaction, type Database } from '../src/db.ts';
import { publishEvent } from '../src/events.ts';
import { settleClip, settleRoll } from '../src/states.ts';
import { cancelTask, findTaskWithProduction, finishTask, queueTask, startTask } from '../src/tasks.ts';
import { createAccount } from '../src/users.ts';

let database: TestDatabase;
let resources: { db: Database; pool: pg.Pool };
let listener: pg.Client;
const heard: StatusEvent[] = [];

beforeAll(async () => {
  database = await createTestDatabase();
  resources = createDatabase(database.url, {
    max: 8,
    applicationName: 'rushes-data-test',
    onIdleError: () => {},
  });
  listener = new pg.Client({ connectionString: database.url });
  listener.on('notification', (message) => {
    const event = parseStatusEvent(message.payload);
    if (event) heard.push(event);
  });
  await listener.connect();
  await listener.query(`LISTEN ${EVENTS_CHANNEL}`);
});

afterAll(async () => {
  await listener?.end();
  await resources?.pool.end();
  await database?.drop();
});

async function newClip(code: string, fileNames: string[]) {
  const { db } = resources;
  const [production] = await db.insert(productions).values({ name: code, code }).returning();
  const [roll] = await db.insert(rolls).values({ productionId: production!.id, name: 'A001' }).returning();
  const rows = await db
    .insert(clips)
    .values(
      fileNames.map((fileName) => ({
        rollId: roll!.id,
        productionId: production!.id,
        fileName,
        originalPath: fileName,
      })),
    )
    .returning();
  return { productionId: production!.id, rollId: roll!.id, clipIds: rows.map((r) => r.id) };
}

const stateOfRoll = async (rollId: string) =>
  (await resources.db.select({ state: rolls.state }).from(rolls).where(eq(rolls.id, rollId)))[0]!.state;

describe('accounts: the first-admin rule', () => {
  it('makes exactly one admin of five first sign-ups at once, and only the first', async () => {
    const answers = await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        createAccount(
          resources.db,
          { email: `first${i}@example.com`, name: '', passwordHash: 'x', admin: true },
          { onlyFirst: true },
        ),
      ),
    );
    const created = answers.filter((a) => typeof a === 'object');
    expect(created).toEqual([{ id: expect.any(String), isAdmin: true }]);
    expect(answers.filter((a) => a === 'not-first')).toHaveLength(4);

    const later = await createAccount(resources.db, {
      email: 'later@example.com',
      name: 'Later',
      passwordHash: 'x',
      admin: false,
    });
    expect(later).toEqual({ id: expect.any(String), isAdmin: false });
    const again = await createAccount(resources.db, {
      email: 'later@example.com',
      name: 'Again',
      passwordHash: 'x',
      admin: true,
    });
    expect(again).toBe('exists');
    const admins = await resources.db.select().from(users).where(eq(users.isAdmin, true));
    expect(admins).toHaveLength(1);
  });
});

describe('tasks, states and events', () => {
  it('moves a clip and its roll from queued through running to ready, telling the listeners each time', async () => {
    const { rollId, clipIds, productionId } = await newClip('TS', ['A001C001.mov']);
    const clipId = clipIds[0]!;
    await queueTask(resources.db, clipId, 'verify');
    expect((await settleClip(resources.db, clipId)).state).toBe('processing');
    expect(await settleRoll(resources.db, rollId)).toBe('processing');

    const verify = (await startTask(resources.db, clipId, 'verify', 'job-1', 'w1'))!;
    expect(verify).toEqual({ taskId: expect.any(String), clipId, rollId, productionId, kind: 'verify' });
    expect(await finishTask(resources.db, verify, 'succeeded')).toBe('processing');
    const probe = (await startTask(resources.db, clipId, 'probe', 'job-2', 'w1'))!;
    expect(await finishTask(resources.db, probe, 'succeeded')).toBe('ready');
    expect(await stateOfRoll(rollId)).toBe('ready');

    const events = await waitFor('four task events', async () => {
      const mine = heard.filter((e) => e.type === 'task.updated' && e.clipId === clipId);
      return mine.length >= 4 ? mine : undefined;
    });
    expect(events.map((e) => e.type === 'task.updated' && [e.kind, e.state, e.progress])).toEqual([
      ['verify', 'running', 0],
      ['verify', 'succeeded', 1],
      ['probe', 'running', 0],
      ['probe', 'succeeded', 1],
    ]);
  });

  it('keeps a cancelled task cancelled when its job reports later, and fails the clip', async () => {
    const { clipIds } = await newClip('TC', ['A001C002.mov']);
    const clipId = clipIds[0]!;
    const verify = (await startTask(resources.db, clipId, 'verify', 'job-3', 'w1'))!;
    await resources.db.update(tasks).set({ state: 'canceled' }).where(eq(tasks.id, verify.taskId));
    expect(await finishTask(resources.db, verify, 'succeeded')).toBe('failed');
    const [task] = await resources.db.select().from(tasks).where(eq(tasks.id, verify.taskId));
    expect(task!.state).toBe('canceled');
    const [clip] = await resources.db.select().from(clips).where(eq(clips.id, clipId));
    expect(clip!.state).toBe('failed');
  });

  it('requeues a failed task without its old error, progress or finish time', async () => {
    const { clipIds } = await newClip('TR', ['A001C003.mov']);
    const clipId = clipIds[0]!;
    const verify = (await startTask(resources.db, clipId, 'verify', 'job-4', 'w1'))!;
    await finishTask(resources.db, verify, 'failed', { code: 'MEDIA_TRUNCATED', message: 'truncated' });
    await queueTask(resources.db, clipId, 'verify');
    const [task] = await resources.db.select().from(tasks).where(eq(tasks.id, verify.taskId));
    expect(task).toMatchObject({
      state: 'queued',
      progress: 0,
      errorCode: null,
      errorMessage: null,
      finishedAt: null,
    });
  });

  it('does not settle a roll whose import still runs, and a given-up import stays failed', async () => {
    const { rollId, clipIds } = await newClip('TI', ['A001C004.mov']);
    const verify = (await startTask(resources.db, clipIds[0]!, 'verify', 'job-5', 'w1'))!;
    await finishTask(resources.db, verify, 'succeeded');
    const probe = (await startTask(resources.db, clipIds[0]!, 'probe', 'job-6', 'w1'))!;
    await finishTask(resources.db, probe, 'succeeded');
    await resources.db
      .update(rolls)
      .set({ importFilesTotal: 3, importFilesDone: 1 })
      .where(eq(rolls.id, rollId));
    expect(await settleRoll(resources.db, rollId)).toBe('processing');
    await resources.db
      .update(rolls)
      .set({ errorMessage: '2 files were not imported' })
      .where(eq(rolls.id, rollId));
    expect(await settleRoll(resources.db, rollId)).toBe('failed');
  });

  it('cancels a running task once: the clip fails, the listeners hear it, a second cancel changes nothing', async () => {
    const { clipIds, productionId, rollId } = await newClip('TX', ['A001C006.mov']);
    const clipId = clipIds[0]!;
    const verify = (await startTask(resources.db, clipId, 'verify', 'job-7', 'w1'))!;
    const found = (await findTaskWithProduction(resources.db, verify.taskId))!;
    expect(found).toMatchObject({ productionId, task: { id: verify.taskId, state: 'running' } });
    const canceled = await withTransaction(resources.pool, (tx) =>
      cancelTask(tx, { id: verify.taskId, productionId }),
    );
    expect(canceled).toMatchObject({ id: verify.taskId, state: 'canceled', finishedAt: expect.any(Date) });
    const [clip] = await resources.db.select().from(clips).where(eq(clips.id, clipId));
    expect(clip!.state).toBe('failed');
    expect(await stateOfRoll(rollId)).toBe('failed');
    await waitFor('the cancel event', async () =>
      heard.find((e) => e.type === 'task.updated' && e.taskId === verify.taskId && e.state === 'canceled'),
    );
    expect(await cancelTask(resources.db, { id: verify.taskId, productionId })).toBeUndefined();
  });

  it('sends an event published in a transaction only when it commits', async () => {
    const { productionId } = await newClip('TE', ['A001C005.mov']);
    await withTransaction(resources.pool, async (tx) => {
      await publishEvent(tx, { type: 'production.updated', productionId, state: 'pending' });
      throw new Error('rolled back');
    }).catch(() => {});
    await withTransaction(resources.pool, (tx) =>
      publishEvent(tx, { type: 'production.updated', productionId, state: 'ready' }),
    );
    await waitFor('the committed event', async () =>
      heard.some((e) => e.type === 'production.updated' && e.productionId === productionId)
        ? true
        : undefined,
    );
    expect(heard.filter((e) => e.type === 'production.updated' && e.productionId === productionId)).toEqual([
      { type: 'production.updated', productionId, state: 'ready' },
    ]);
  });
});
