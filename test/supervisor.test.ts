import { describe, expect, it } from 'vitest';
import { launch, prefix, terminate } from '../scripts/lib/supervisor.ts';

describe('supervisor', () => {
  it('lines up child names', () => {
    expect(prefix('api')).toBe('[api]     ');
    expect(prefix('postgres')).toBe('[postgres]');
  });

  it('stops a child that ignores SIGTERM by killing it after the grace period', async () => {
    const child = launch('stubborn', ['-e', 'process.on("SIGTERM", () => {}); setInterval(() => {}, 1000)'], {
      env: process.env,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    const started = Date.now();
    await terminate(child, 300);
    expect(await child.exited).toBe('SIGKILL');
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
  });

  it('reports the exit status of a child that stops on SIGTERM', async () => {
    const child = launch(
      'polite',
      ['-e', 'process.on("SIGTERM", () => process.exit(0)); setInterval(() => {}, 1000)'],
      {
        env: process.env,
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 300));
    await terminate(child, 5_000);
    expect(await child.exited).toBe(0);
  });
});
