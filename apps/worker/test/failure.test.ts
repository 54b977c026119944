import { EngineError } from '@rushes/engine';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { planRender } from '../src/jobs/clip-render.handler.ts';
import { classifyFailure } from '../src/jobs/failure.ts';
import { assertEveryJobHandled } from '../src/jobs/registry.ts';

describe('classifyFailure', () => {
  it('fails a bad payload permanently, naming the field', () => {
    const result = z.object({ productionId: z.uuid() }).safeParse({ productionId: 'x' });
    expect(classifyFailure(result.error)).toMatchObject({
      permanent: true,
      code: 'BAD_PAYLOAD',
      message: expect.stringContaining('productionId'),
    });
  });

  it('fails on invalid stored settings permanently, saying which', () => {
    const failure = classifyFailure(
      (() => {
        try {
          planRender(
            { metadata: { color: {} } as never, checksums: { xxh64: '0123' } },
            { proxyProfiles: [{ id: 'avid', maxWidth: 'wide' }], colorPipeline: {} },
            'avid',
          );
        } catch (error) {
          return error;
        }
      })(),
    );
    expect(failure).toMatchObject({ permanent: true, code: 'BAD_SETTINGS' });
    expect(failure.message).toMatch(/^the production's proxy profiles are invalid \(0\.maxWidth: /);
  });

  it('follows the engine on whether to retry', () => {
    expect(classifyFailure(new EngineError('TIMEOUT', 'slow', { retryable: true }))).toEqual({
      permanent: false,
      code: 'TIMEOUT',
      message: 'slow',
    });
    expect(classifyFailure(new EngineError('TOOL_FAILED', 'corrupt'))).toMatchObject({ permanent: true });
  });

  it('retries anything unexpected (a lost connection, a bug fixed by a deploy)', () => {
    expect(classifyFailure(new Error('connection reset'))).toEqual({
      permanent: false,
      code: 'INTERNAL',
      message: 'connection reset',
    });
  });
});

describe('the job registry', () => {
  it('accepts the real registry', () => {
    expect(() => assertEveryJobHandled()).not.toThrow();
  });

  it('refuses to start when a declared job has no handler, naming it', () => {
    expect(() => assertEveryJobHandled({})).toThrow('rushes worker: no handler for job "production.setup"');
  });
});

describe('card files', () => {
  it('makes clips of media files and keeps the rest as sidecars', async () => {
    const { isMediaFile } = await import('../src/ingest.ts');
    expect(['Clips/A001C001.MOV', 'A001.R3D', 'snd/A101_1.WAV', 'plate.1001.exr'].every(isMediaFile)).toBe(
      true,
    );
    expect(['Clips/A001C001M01.XML', 'notes.txt', 'look.cdl', 'A001.mhl'].some(isMediaFile)).toBe(false);
  });
});

describe('sealing a roll', () => {
  it('marks mismatches failed, card files verified, the rest original', async () => {
    const { actionFor } = await import('../src/jobs/roll-seal.handler.ts');
    expect(actionFor('CHECKSUM_MISMATCH', true)).toBe('failed');
    expect(actionFor('SIZE_MISMATCH', true)).toBe('failed');
    expect(actionFor('TRUNCATED', true)).toBe('verified');
    expect(actionFor(null, true)).toBe('verified');
    expect(actionFor(null, false)).toBe('original');
  });

  it('compares generations by what they say, whatever the order', async () => {
    const { fingerprint } = await import('../src/jobs/roll-seal.handler.ts');
    const a = {
      path: 'a.mov',
      hashes: [{ algorithm: 'xxh64' as const, value: '1', action: 'verified' as const }],
    };
    const b = { path: 'b.mov', hashes: [{ algorithm: 'md5' as const, value: '2' }] };
    expect(fingerprint([a, b])).toBe(fingerprint([b, a]));
    expect(fingerprint([a])).not.toBe(
      fingerprint([{ ...a, hashes: [{ ...a.hashes[0]!, action: 'failed' as const }] }]),
    );
  });
});
