/**
 * Start-up reads of the files settings name, and the values load-config already requires: each
 * problem becomes a ConfigIssue naming the setting (start-up then stops, exit 1, no stack), so a
 * wrong passphrase or a non-PEM CA never reaches the first vendor call.
 */
import { readFileSync } from 'node:fs';
import { ConfigError, type ConfigIssue } from '../errors.ts';
import { caBundleProblem, pkcs12Message, pkcs12Problem } from './http-tls.ts';

export type ReadFile = (path: string) => Buffer;

export class SettingFiles {
  readonly issues: ConfigIssue[] = [];
  readonly #readFile: ReadFile;

  constructor(readFile: ReadFile = readFileSync) {
    this.#readFile = readFile;
  }

  /** The file's bytes, or undefined (and an issue) when it cannot be read. */
  read(path: string, setting: string): Buffer | undefined {
    try {
      return this.#readFile(path);
    } catch (e) {
      const code = e instanceof Error && 'code' in e ? String(e.code) : 'unreadable';
      this.issues.push({ setting, message: `cannot read ${path} (${code})` });
      return undefined;
    }
  }

  /** A PEM bundle of certificates, every block parsed. */
  caBundle(path: string | undefined, setting: string): string | undefined {
    if (!path) return undefined;
    const pem = this.read(path, setting)?.toString('utf8');
    if (pem === undefined) return undefined;
    const problem = caBundleProblem(pem);
    if (problem) this.issues.push({ setting, message: `${path} ${problem}` });
    return problem ? undefined : pem;
  }

  /** A PKCS#12 that opens with its passphrase; the issue names whichever setting is wrong. */
  pkcs12(path: string | undefined, passphrase: string | undefined, envPrefix: string): Buffer | undefined {
    if (!path) return undefined;
    const pfx = this.read(path, `${envPrefix}_CLIENT_CERT_P12`);
    if (!pfx) return undefined;
    const problem = pkcs12Problem(pfx, passphrase);
    if (!problem) return pfx;
    this.issues.push({
      setting: `${envPrefix}_CLIENT_CERT_${problem.wrongPassphrase ? 'PASSPHRASE' : 'P12'}`,
      message: pkcs12Message(envPrefix, problem),
    });
    return undefined;
  }

  /** @throws ConfigError listing every issue found so far */
  throwIfAny(): void {
    if (this.issues.length > 0) throw new ConfigError(this.issues);
  }
}

/**
 * A value load-config's cross-checks already require for an enabled vendor. Only a caller that
 * skipped loadConfig (a test building an adapter by hand) can get here without it.
 * @throws ConfigError naming the setting
 */
export function configured<T>(value: T | undefined, setting: string): T {
  if (value === undefined || value === '') throw new ConfigError([{ setting, message: 'is required' }]);
  return value;
}
