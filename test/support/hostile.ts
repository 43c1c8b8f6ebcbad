/** Text meant to make Slack mention, link, format or mislead: for every typed and returned field. */
import fc from 'fast-check';

export const HOSTILE_PIECES = [
  '<!channel>',
  '<!here>',
  '<!everyone>',
  '<@U123>',
  '<#C123>',
  '<http://evil|x>',
  '<https://evil.example|Re-enter your password>',
  '&lt;!channel&gt;',
  '&lt;',
  '&amp;',
  '`',
  '```',
  '*_~',
  '\u200b',
  '\u200f',
  '\u202e',
  '<',
  '>',
  '&',
] as const;

/** One string carrying every piece, for end-to-end fields. */
export const HOSTILE_TEXT = HOSTILE_PIECES.join(' ');

/** Hostile strings: pieces mixed with arbitrary text, and 5,000-character floods. */
export const hostile = (): fc.Arbitrary<string> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .array(fc.oneof(fc.constantFrom(...HOSTILE_PIECES), fc.string({ maxLength: 8 })), {
          minLength: 1,
          maxLength: 8,
        })
        .map((p) => p.join('')),
    },
    {
      weight: 1,
      arbitrary: fc
        .constantFrom(...HOSTILE_PIECES)
        .map((p) => p.repeat(Math.ceil(5000 / p.length)).slice(0, 5000)),
    },
  );
