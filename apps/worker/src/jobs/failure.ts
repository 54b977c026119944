import { EngineError } from '@rushes/engine';
import { ZodError } from 'zod';
import { IngestError } from '../ingest.ts';

export interface Failure {
  /** Permanent failures are not retried: the same input would fail the same way. */
  permanent: boolean;
  code: string;
  message: string;
}

/** Stored settings a job depends on are invalid (e.g. a production's proxy profiles): no retry. */
export class SettingsError extends Error {
  override name = 'SettingsError';
}

const issues = (error: ZodError, root: string) =>
  error.issues.map((i) => `${i.path.join('.') || root}: ${i.message}`).join('; ');

/** Parses stored settings with `parse`; a ZodError becomes a SettingsError naming `what`. */
export function parseSettings<T>(what: string, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (error instanceof ZodError) throw new SettingsError(`${what} are invalid (${issues(error, what)})`);
    throw error;
  }
}

/** Pure: how a handler's error ends its job. */
export function classifyFailure(error: unknown): Failure {
  if (error instanceof ZodError) {
    return {
      permanent: true,
      code: 'BAD_PAYLOAD',
      message: `invalid job payload (${issues(error, 'payload')})`,
    };
  }
  if (error instanceof SettingsError)
    return { permanent: true, code: 'BAD_SETTINGS', message: error.message };
  if (error instanceof IngestError) return { permanent: true, code: 'IMPORT_FAILED', message: error.message };
  if (error instanceof EngineError) {
    return { permanent: !error.retryable, code: error.code, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { permanent: false, code: 'INTERNAL', message };
}
