/** Signed links: one key per purpose, so no kind of link accepts another kind's signature. */
import { describe, expect, it } from 'vitest';
import { linkSigner, SIGNING_PURPOSES, type SignedRequest } from '../src/signing.ts';

const SECRET = 's'.repeat(32);
const NOW = Date.UTC(2026, 0, 1);
const request: SignedRequest = {
  method: 'GET',
  key: 'exports/rolls/0f6b6c1e-2d3a-4c5b-8e9f-0a1b2c3d4e5f.csv',
  expires: NOW / 1000 + 60,
};

describe('signed links', () => {
  it('a signature made for one purpose fails verification for every other purpose', () => {
    for (const made of SIGNING_PURPOSES) {
      const signature = linkSigner(SECRET, made).sign(request);
      for (const checked of SIGNING_PURPOSES) {
        expect(linkSigner(SECRET, checked).verify(request, signature, NOW), `${made} → ${checked}`).toBe(
          made === checked ? 'ok' : 'invalid',
        );
      }
    }
    expect(SIGNING_PURPOSES.length).toBeGreaterThanOrEqual(2);
  });

  it('binds the method, key, expiry and extra, and says when a link has expired', () => {
    const signer = linkSigner(SECRET, 'blob');
    const signature = signer.sign({ ...request, extra: 'A001C001.mov' });
    expect(signer.verify({ ...request, extra: 'A001C001.mov' }, signature, NOW)).toBe('ok');
    expect(signer.verify({ ...request, extra: 'A001C002.mov' }, signature, NOW)).toBe('invalid');
    expect(signer.verify({ ...request, method: 'PUT', extra: 'A001C001.mov' }, signature, NOW)).toBe(
      'invalid',
    );
    expect(signer.verify({ ...request, key: 'x', extra: 'A001C001.mov' }, signature, NOW)).toBe('invalid');
    expect(
      signer.verify({ ...request, expires: request.expires + 1, extra: 'A001C001.mov' }, signature, NOW),
    ).toBe('invalid');
    expect(signer.verify({ ...request, extra: 'A001C001.mov' }, signature, NOW + 61_000)).toBe('expired');
    expect(signer.verify(request, '', NOW)).toBe('invalid');
  });

  it('depends on the secret, and refuses a short secret or an unknown purpose', () => {
    const signature = linkSigner(SECRET, 'export').sign(request);
    expect(linkSigner('t'.repeat(32), 'export').verify(request, signature, NOW)).toBe('invalid');
    expect(() => linkSigner('short', 'blob')).toThrow('a signing secret needs at least 32 characters');
    expect(() => linkSigner(SECRET, 'session' as never)).toThrow('unknown signing purpose "session"');
  });
});
