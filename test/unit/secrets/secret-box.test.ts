import { describe, expect, it } from 'vitest';
import { createSecretBox, generateSecretKey } from '../../../src/secrets/secret-box.ts';

describe('secret box (AES-256-GCM)', () => {
  const box = createSecretBox(generateSecretKey());

  it('opens what it sealed, for the same context only', () => {
    const sealed = box.seal('Pa$$w0rd-äö', 'req-1:reveal');
    expect(sealed).toMatch(/^v1\.[\w-]+\.[\w-]+\.[\w-]+$/);
    expect(sealed).not.toContain('Pa$$');
    expect(box.open(sealed, 'req-1:reveal')).toBe('Pa$$w0rd-äö');
    expect(() => box.open(sealed, 'req-2:reveal')).toThrow();
  });

  it('uses a fresh IV each time', () => {
    expect(box.seal('same', 'c')).not.toBe(box.seal('same', 'c'));
  });

  it('refuses a tampered value and another key', () => {
    const sealed = box.seal('token', 'c');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    expect(() => box.open([...parts.slice(0, 3), body.toString('base64url')].join('.'), 'c')).toThrow();
    expect(() => createSecretBox(generateSecretKey()).open(sealed, 'c')).toThrow();
    expect(() => box.open('plain text', 'c')).toThrow('not a sealed secret');
  });

  it('accepts only 32 bytes of strict base64', () => {
    expect(() => createSecretBox(Buffer.alloc(16).toString('base64'))).toThrow('openssl rand -base64 32');
    expect(() => createSecretBox('x'.repeat(44))).toThrow();
    expect(generateSecretKey()).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });
});
