/**
 * A test api with a real worker taking every job, an owner signed in and one production (UP):
 * what tests of a card going through the api to ready need.
 */
import { jobNames } from '@rushes/schema/jobs';
import { pino } from 'pino';
import { startWorker, type RunningWorker } from '../../../worker/src/worker.ts';
import { startTestApi, type TestApi } from './api.ts';

export interface ApiWithWorker {
  api: TestApi;
  worker: RunningWorker;
  /** The owner's session token. */
  owner: string;
  /** The production's global id. */
  productionId: string;
  /** A GraphQL operation as the owner: its data, or an Error holding its errors. */
  gql(query: string, variables?: Record<string, unknown>): Promise<any>;
  stop(): Promise<void>;
}

export async function startApiWithWorker(workerId: string): Promise<ApiWithWorker> {
  const api = await startTestApi();
  const worker = await startWorker(
    {
      DATABASE_URL: api.database.url,
      WORKER_CONCURRENCY: 2,
      WORKER_QUEUES: [...jobNames],
      WORKER_ID: workerId,
    },
    pino({ level: process.env['PIPELINE_LOG'] ?? 'silent' }),
    { store: api.store },
  );
  const owner = await api.signUp('dit@example.com');
  const { body } = await api.graphql(
    'mutation { createProduction(input: { name: "Upload", code: "UP" }) { id } }',
    {},
    owner,
  );
  return {
    api,
    worker,
    owner,
    productionId: body.data.createProduction.id,
    async gql(query, variables = {}) {
      const answer = await api.graphql(query, variables, owner);
      if (answer.body.errors) throw new Error(JSON.stringify(answer.body.errors));
      return answer.body.data;
    },
    async stop() {
      await worker.stop(5_000);
      await api.stop();
    },
  };
}
