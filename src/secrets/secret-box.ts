/**
 * AES-256-GCM for every secret the bot holds for a user (issue 8 §3): new AUTHTOKENs, generated
 * and typed passwords. The associated data binds a sealed value to the row it was written for, so a
 * value copied onto another request's row does not open.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/** "v1.<iv>.<tag>.<ciphertext>", each base64url; the version leaves room for a key rotation. */
const VERSION = 'v1';
const IV_BYTES = 12;
const KEY_BYTES = 32;

/** Strict base64 of exactly 32 bytes (what `openssl rand -base64 32` prints). */
export const SECRET_KEY_PATTERN = /^[A-Za-z0-9+/]{43}=$/;
export const SECRET_KEY_HINT = 'make one with: openssl rand -base64 32';

export interface SecretBox {
  seal(plaintext: string, context: string): string;
  /** @throws Error when the value was not sealed by this key for this context */
  open(sealed: string, context: string): string;
}

export function createSecretBox(base64Key: string): SecretBox {
  if (!SECRET_KEY_PATTERN.test(base64Key))
    throw new Error(`secret key must be 32 bytes in base64; ${SECRET_KEY_HINT}`);
  const key = Buffer.from(base64Key, 'base64');
  if (key.length !== KEY_BYTES) throw new Error(`secret key must be 32 bytes in base64; ${SECRET_KEY_HINT}`);
  return {
    seal(plaintext, context) {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
      return [VERSION, iv, cipher.getAuthTag(), body]
        .map((p) => (typeof p === 'string' ? p : p.toString('base64url')))
        .join('.');
    },
    open(sealed, context) {
      const [version, iv, tag, body] = sealed.split('.');
      if (version !== VERSION || iv === undefined || tag === undefined || body === undefined) {
        throw new Error('not a sealed secret');
      }
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString(
        'utf8',
      );
    },
  };
}

/** A fresh key in the configured format, for the sandbox and tests. */
export const generateSecretKey = (): string => randomBytes(KEY_BYTES).toString('base64');
