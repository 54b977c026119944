import { describe, expect, it } from 'vitest';
import { loadApiSettings } from '../src/config.ts';

const s3 = {
  DATABASE_URL: 'postgres://127.0.0.1/rushes',
  STORAGE_DRIVER: 's3',
  S3_BUCKET: 'rushes',
};

describe('api settings', () => {
  it('requires one signing secret for all api replicas with the S3 driver, and says why', () => {
    expect(() => loadApiSettings(s3)).toThrow(
      /API_SIGNING_SECRET is required with STORAGE_DRIVER=s3: every api replica must sign links with the same secret/,
    );
    expect(loadApiSettings({ ...s3, API_SIGNING_SECRET: 'k'.repeat(32) }).API_SIGNING_SECRET).toBe(
      'k'.repeat(32),
    );
  });

  it('lets one machine (the local driver) go without it', () => {
    const settings = loadApiSettings({
      DATABASE_URL: 'postgres://127.0.0.1/rushes',
      STORAGE_SIGNING_SECRET: 'x'.repeat(32),
    });
    expect(settings.API_SIGNING_SECRET).toBeUndefined();
  });
});
