import { EngineError } from '@rushes/engine';
import { ZodError } from 'zod';

export interface Failure {
  /** Permanent failures are not retried: the same input would fail the same way. */
  permanent: boolean;
  code: string;
  message: string;
}

/** Pure: how a handler's error ends its job. */
export function classifyFailure(error: unknown): Failure {
  if (error instanceof ZodError) {
    const detail = error.issues.map((i) => `${i.path.join('.') || 'payload'}: ${i.message}`);
    return { permanent: true, code: 'BAD_PAYLOAD', message: `invalid job payload (${detail.join('; ')})` };
  }
  if (error instanceof EngineError) {
    return { permanent: !error.retryable, code: error.code, message: error.message };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { permanent: false, code: 'INTERNAL', message };
}
