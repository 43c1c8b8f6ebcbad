/**
 * Identifiers (usernames, ids) whose character set the vendor does not document. The value is
 * NFKC-normalised (full-width and compatibility look-alikes become plain characters, and the card
 * shows the normalised value that is sent), then refused if it still holds a Unicode control (Cc)
 * or format (Cf) character — zero-width joiners, bidi overrides — that Slack would show invisibly or
 * reordered, so that a card could show a name other than the one sent.
 */

const HIDDEN = /[\p{Cc}\p{Cf}]/u;

export type IdentifierCheck = { ok: true; value: string } | { ok: false; message: string };

export function checkIdentifier(raw: string, what: string): IdentifierCheck {
  const value = raw.normalize('NFKC');
  const hidden = [...value].find((c) => HIDDEN.test(c));
  if (hidden === undefined) return { ok: true, value };
  const code = (hidden.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0');
  return {
    ok: false,
    message: `${what} contains an invisible control or formatting character (U+${code}); type it again without it.`,
  };
}
