/** Shared pieces of the fuzz tests: unhandled rejections caught, and run counts kept small. */
import fc from 'fast-check';
import type { FormField } from '../../src/vendors/provisioner.ts';

/** Few runs each: the whole fuzz layer stays within a few seconds of `npm test`. */
export const RUNS = { slack: 12, vendor: 40, unit: 150 } as const;

/** Collects unhandled rejections while installed; a fuzz test asserts the list stays empty. */
export function watchRejections(): { seen: unknown[]; stop: () => void } {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  return { seen, stop: () => process.off('unhandledRejection', listener) };
}

/** Text a person might type or paste: empty, blank, long, odd Unicode, mrkdwn and HTML. */
export const typed = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.constantFrom(
    '',
    '   ',
    '<!channel>',
    '*bold* _x_ `code`',
    '<b>&amp;</b>',
    '\u0000\u202e',
    'a'.repeat(3000),
  ),
  fc.string({ unit: 'grapheme', maxLength: 20 }),
  fc.emailAddress(),
);

/** A raw value for each form field: typed text, a real option, a forged option, or nothing. */
export type RawValues = Record<string, string | readonly string[] | null>;

export function formValuesArb(fields: readonly FormField[]): fc.Arbitrary<RawValues> {
  const entries = fields.map((f) => {
    const options = 'options' in f ? f.options.map((o) => o.value) : [];
    const one = options.length > 0 ? fc.oneof(fc.constantFrom(...options), typed) : typed;
    const value: fc.Arbitrary<string | readonly string[] | null> =
      f.kind === 'multiselect' || f.kind === 'checkboxes'
        ? fc.array(one, { maxLength: 4 })
        : fc.oneof(one, fc.constant(null));
    return [f.id, value] as const;
  });
  return fc.record(Object.fromEntries(entries));
}
