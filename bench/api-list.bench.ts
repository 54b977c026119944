/**
 * GraphQL list throughput: `{ productions { … } }` over 100 productions through the real api
 * (Apollo + type-graphql + Drizzle) against a baseline in the same process: the same rows read
 * with plain `pg` and written as JSON by a bare http server. The ratio is what the framework
 * stack costs per request.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { productions } from '@rushes/schema/tables';
import { pino } from 'pino';
// The built api: Node's type stripping does not run type-graphql's decorators.
import { createDatabase } from '@rushes/api/db';
import { startQueue } from '@rushes/api/queue';
import { createApiServer } from '@rushes/api/server';
import { compareThroughput, type Benchmark } from './harness.ts';

const QUERY = '{ productions { id name code state createdAt } }';

const benchmark: Benchmark = async (context) => {
  const url = await context.createDatabase();
  const fail = (error: Error) => {
    throw error;
  };
  const resources = createDatabase(url, fail);
  await resources.db.insert(productions).values(
    Array.from({ length: 100 }, (_, i) => ({
      name: `Production ${i}`,
      code: `P${i}`,
      state: 'ready' as const,
    })),
  );

  const queue = await startQueue(url, fail);
  const api = await createApiServer(
    { ...resources, queue, log: pino({ level: 'silent' }), version: 'bench' },
    { corsOrigins: '*' },
  );
  const apiPort = await api.listen(0, '127.0.0.1');

  const baseline = createServer(async (_req, res) => {
    const { rows } = await resources.pool.query(
      'select id, name, code, state, created_at as "createdAt" from productions order by created_at desc',
    );
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: { productions: rows } }));
  }).listen(0, '127.0.0.1');
  await new Promise((resolve) => baseline.once('listening', resolve));
  const baselinePort = (baseline.address() as AddressInfo).port;

  const post = (port: number, path: string) => async () => {
    const response = await fetch(`http://127.0.0.1:${port}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: QUERY }),
    });
    const body = (await response.json()) as { data?: { productions: unknown[] } };
    if (body.data?.productions.length !== 100) throw new Error('wrong answer');
  };

  const { baseline: base, subject: ours } = await compareThroughput(
    post(baselinePort, '/'),
    post(apiPort, '/graphql'),
  );

  baseline.close();
  await api.stop();
  await queue.stop();
  await resources.pool.end();
  return [
    { benchmark: 'list 100 productions', subject: 'baseline: pg + bare http', value: base, unit: 'req/s' },
    {
      benchmark: 'list 100 productions',
      subject: 'rushes api (GraphQL)',
      value: ours,
      unit: 'req/s',
      ratio: ours / base,
    },
  ];
};

export default benchmark;
