/**
 * Initial passwords the bot makes for new users (issue 8 §3), from node:crypto. Every password holds
 * an upper- and a lower-case letter, a digit and a symbol, and starts with a letter, drawn from the
 * characters that Certification's rule allows (seed 002: `[A-Za-z\d@$!%*#?&]{8,}` with a letter, a
 * digit and one of `@$!%*#?&`). That also meets PAM360's "Strong" policy as far as it is known (its
 * seed sample `Test@123`: mixed case, a digit, a symbol, a leading letter; the PAM360 simulator's
 * `passwordPolicy` knob checks the same).
 */
import { randomInt } from 'node:crypto';

const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '@$!%*#?&';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;
const CLASSES = [UPPER, LOWER, DIGITS, SYMBOLS];

/** 20 characters ≈ 120 bits; look-alike characters (I, l, O, 0, 1) are left out for people who retype it. */
export const GENERATED_PASSWORD_LENGTH = 20;

const pick = (alphabet: string): string => alphabet.charAt(randomInt(alphabet.length));

export function generatePassword(length = GENERATED_PASSWORD_LENGTH): string {
  if (length < CLASSES.length) throw new RangeError(`a password needs at least ${CLASSES.length} characters`);
  const chars = [...CLASSES.map(pick), ...Array.from({ length: length - CLASSES.length }, () => pick(ALL))];
  // Fisher–Yates, so the guaranteed classes do not sit at fixed positions.
  for (let i = chars.length - 1; i > 0; i--) {
    const j = randomInt(i + 1);
    [chars[i], chars[j]] = [chars[j] as string, chars[i] as string];
  }
  // Some policies (PAM360's "Strong") want a leading letter: bring the first one forward
  // (also: a leading symbol such as @ would start a formula in a spreadsheet, see flows/csv-write.ts).
  const letter = chars.findIndex((c) => UPPER.includes(c) || LOWER.includes(c));
  [chars[0], chars[letter]] = [chars[letter] as string, chars[0] as string];
  return chars.join('');
}
