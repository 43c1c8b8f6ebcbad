/**
 * The bench starts the bot the way the image does: node's arguments from the Dockerfile's CMD and
 * its ENV (the heap flags in NODE_OPTIONS), never a copy of them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { imageCommand } from '../../../bench/bench-processes.ts';

const dockerfile = readFileSync(new URL('../../../Dockerfile', import.meta.url), 'utf8');

describe('the bench runs the bot as the image does', () => {
  it('takes node arguments from the last stage CMD and its ENV, flags included', () => {
    const image = imageCommand(
      'FROM a AS build\nENV NODE_OPTIONS=--build-only\nCMD ["node", "build.js"]\n' +
        'FROM b AS runtime\nENV NODE_ENV=production\nENV NODE_OPTIONS="--max-old-space-size=64 --max-semi-space-size=1" \\\n' +
        '    MALLOC_ARENA_MAX=2\nCMD ["node", "--stack-trace-limit=20", "dist/main.js"]\n',
    );
    expect(image).toEqual({
      nodeArgs: ['--stack-trace-limit=20', 'dist/main.js'],
      env: {
        NODE_ENV: 'production',
        NODE_OPTIONS: '--max-old-space-size=64 --max-semi-space-size=1',
        MALLOC_ARENA_MAX: '2',
      },
    });
  });

  it('refuses a CMD that does not run node (the bench could not start it the same way)', () => {
    expect(() => imageCommand('FROM a\nCMD ["/bin/sh", "-c", "node dist/main.js"]\n')).toThrow(
      /CMD \["node"/,
    );
    expect(() => imageCommand('FROM a\nENV A=1\n')).toThrow(/CMD \["node"/);
  });

  it("reads this repository's Dockerfile: dist/main.js with the image's heap settings", () => {
    const image = imageCommand(dockerfile);
    expect(image.nodeArgs.at(-1)).toBe('dist/main.js');
    expect(image.env.NODE_ENV).toBe('production');
    expect(image.env.NODE_OPTIONS).toMatch(/--max-old-space-size=\d+/);
  });
});
