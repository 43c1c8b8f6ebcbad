/**
 * Scans what the bot sends to Slack for control sequences it did not mean to write. In mrkdwn
 * (top-level `text`, mrkdwn text objects, section fields) every `<…>` is a command to Slack: a
 * mention, a broadcast, a channel, a link or a date. The bot writes only mentions of the ids it
 * holds, dates and links to URLs it trusts; anything else, and any stray `<` or `>`, is a leak.
 */

export interface AllowedControls {
  userIds?: readonly string[];
  groupIds?: readonly string[];
  /** URL prefixes the bot may link to (permalinks, PJM's own site). */
  urlPrefixes?: readonly string[];
}

/** Every string Slack reads as mrkdwn in a message, view or response_url body. */
export function mrkdwnTexts(surface: unknown): string[] {
  const out: string[] = [];
  const walk = (node: unknown, top: boolean) => {
    if (Array.isArray(node)) {
      for (const n of node) walk(n, false);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (typeof o.text === 'string' && (top || o.type === 'mrkdwn')) out.push(o.text);
    for (const [k, v] of Object.entries(o)) if (k !== 'text' || typeof v !== 'string') walk(v, false);
  };
  walk(surface, true);
  return out;
}

const DATE = /^!date\^\d+\^\{date_short_pretty\} \{time\}\|\d{4}-\d\d-\d\dT[\d:.]+Z$/;

function allowed(inner: string, a: AllowedControls): boolean {
  if (DATE.test(inner)) return true;
  if (inner.startsWith('@')) return (a.userIds ?? []).includes(inner.slice(1));
  if (inner.startsWith('!subteam^')) return (a.groupIds ?? []).includes(inner.slice('!subteam^'.length));
  const url = inner.split('|')[0] ?? '';
  return /^https?:\/\/[^\s|<>]+$/.test(url) && (a.urlPrefixes ?? []).some((p) => url.startsWith(p));
}

/** The control sequences (and stray angle brackets) in `text` that the allowlist does not cover. */
export function unexpectedControls(text: string, a: AllowedControls): string[] {
  const bad: string[] = [];
  const rest = text.replace(/<([^<>]*)>/g, (whole, inner: string) => {
    if (!allowed(inner, a)) bad.push(whole);
    return '';
  });
  if (/[<>]/.test(rest))
    bad.push(
      `stray bracket in …${rest.slice(Math.max(0, rest.search(/[<>]/) - 20), rest.search(/[<>]/) + 20)}…`,
    );
  return bad;
}

/** Every unexpected control sequence anywhere in a surface. */
export const leaksIn = (surface: unknown, a: AllowedControls): string[] =>
  mrkdwnTexts(surface).flatMap((t) => unexpectedControls(t, a));
