/**
 * The worker's probes for orchestrators, on WORKER_HEALTH_PORT:
 * - GET /healthz: alive (touches nothing, so a database outage does not get every worker
 *   restarted), with this process's job counts;
 * - GET /metrics: Prometheus (@rushes/data/metrics, and job durations and failures);
 * - GET /readyz: the database answers, its schema is at this build's migration head and the
 *   store answers (the api's checks, @rushes/data/readiness); 503 until the worker takes jobs
 *   and while it drains.
 *
 * The port is bound before the worker takes jobs: a port in use stops the worker before it
 * announces "worker ready" (HealthPortError), rather than leaving a worker whose probes fail
 * and which the orchestrator would restart over and over, or one that serves no probes at all.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Readiness } from '@rushes/data/readiness';
import type { Registry } from 'prom-client';

export class HealthPortError extends Error {
  override name = 'HealthPortError';
}

export interface HealthSource {
  /** undefined while the worker starts or drains: /readyz answers 503. */
  readiness(): Promise<Readiness> | undefined;
  /** Extra fields of /healthz (worker id, job counts). */
  info(): Record<string, unknown>;
  /** GET /metrics (Prometheus); undefined while the worker starts: 503. */
  metrics(): Registry | undefined;
}

export interface HealthServer {
  port: number;
  close(): Promise<void>;
}

function answer(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

/** Listens on `port` (0: any free port); rejects with HealthPortError when it cannot. */
export async function startHealthServer(port: number, source: HealthSource): Promise<HealthServer> {
  const server: Server = createServer((req, res) => {
    const url = req.url?.split('?')[0];
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return answer(res, 405, { error: 'method not allowed' });
    if (url === '/healthz') return answer(res, 200, { ok: true, ...source.info() });
    if (url === '/readyz') {
      const check = source.readiness();
      if (!check) return answer(res, 503, { ready: false, detail: 'not taking jobs (starting or stopping)' });
      check.then(
        (readiness) => answer(res, readiness.ready ? 200 : 503, readiness),
        (error: Error) => answer(res, 503, { ready: false, detail: error.message }),
      );
      return;
    }
    if (url === '/metrics') {
      const registry = source.metrics();
      if (!registry) return answer(res, 503, { error: 'starting' });
      registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(text);
        },
        (error: Error) => answer(res, 500, { error: error.message }),
      );
      return;
    }
    answer(res, 404, { error: 'not found' });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) => {
      const why =
        error.code === 'EADDRINUSE'
          ? 'is in use by another process'
          : error.code === 'EACCES'
            ? 'may not be used by this user'
            : `cannot be used (${error.message})`;
      reject(
        new HealthPortError(
          `port ${port} for the health checks ${why}: set WORKER_HEALTH_PORT to a free port (0: any)`,
        ),
      );
    });
    server.listen(port, () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        // Probes' keep-alive connections would hold close() open.
        server.closeAllConnections();
      }),
  };
}
