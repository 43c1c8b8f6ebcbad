import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generatePassword } from '../../../src/secrets/password-generator.ts';
import { passwordPolicyProblem } from '../../fakes/sims/pam360-sim-store.ts';
import { DEFAULT_PAM360_SIM_KNOBS } from '../../fakes/sims/pam360-sim-types.ts';

/** The password pattern, read from the seed's own text (002: Certification "Create Users", copied into fixtures). */
function seedPattern(): RegExp {
  const dir = new URL('../../fixtures/seeds', import.meta.url).pathname;
  const file = readdirSync(dir).find((f) => f.startsWith('002_'));
  const text = readFileSync(`${dir}/${file}`, 'utf8');
  const after = text.slice(text.indexOf('password'));
  const match = /pattern:\s*(\^\S+\$)/.exec(after);
  if (!match?.[1]) throw new Error('no password pattern in seed 002');
  return new RegExp(match[1]);
}

describe('generatePassword', () => {
  it("meets the seed's Certification password pattern every time", () => {
    const pattern = seedPattern();
    expect(pattern.source).toContain('@$!%*#?&');
    for (let i = 0; i < 2000; i++) {
      const p = generatePassword();
      expect(p).toMatch(pattern);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p.length).toBe(20);
    }
  });

  it("meets PAM360's password policy as the simulator models it (the seed's Test@123), leading letter included", () => {
    const policy = DEFAULT_PAM360_SIM_KNOBS.passwordPolicy!;
    expect(passwordPolicyProblem('Test@123', policy)).toBeNull();
    expect(passwordPolicyProblem('1Test@23', policy)).not.toBeNull();
    for (let i = 0; i < 2000; i++) {
      const p = generatePassword();
      expect(passwordPolicyProblem(p, policy)).toBeNull();
      expect(p).toMatch(/^[A-Za-z]/);
    }
  });

  it('does not repeat itself and spreads over the alphabet', () => {
    const many = Array.from({ length: 500 }, () => generatePassword());
    expect(new Set(many).size).toBe(500);
    expect(new Set(many.join('')).size).toBeGreaterThan(60);
  });

  it('refuses a length that cannot hold every character class', () => {
    expect(() => generatePassword(3)).toThrow(RangeError);
    expect(generatePassword(8)).toHaveLength(8);
  });
});
