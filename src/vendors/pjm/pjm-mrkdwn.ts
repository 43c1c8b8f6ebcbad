/**
 * PJM puts HTML into its messages (the success text ends in `<a href="…">Contact PJM</a>`). Slack
 * shows mrkdwn, so links become `<URL|Text>`, other tags go, entities are decoded and the three
 * characters Slack reserves (& < >) are escaped again (api.slack.com/reference/surfaces/formatting).
 */

const NAMED_ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
  nbsp: ' ',
};

function decodeEntities(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#[0-9]+|[a-z]+);/gi, (whole, name: string) => {
    if (name.startsWith('#x') || name.startsWith('#X'))
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return NAMED_ENTITIES[name.toLowerCase()] ?? whole;
  });
}

/** Escape the three characters Slack mrkdwn reserves. */
export const escapeForSlack = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** Plain text of an HTML fragment: tags removed, <br> as a line break, entities decoded. */
function htmlText(html: string): string {
  return decodeEntities(html.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, ''));
}

const LINK = /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/a\s*>/gi;

/** One PJM message (HTML allowed) → Slack mrkdwn. */
export function pjmHtmlToMrkdwn(html: string): string {
  let out = '';
  let last = 0;
  for (const match of html.matchAll(LINK)) {
    out += escapeForSlack(htmlText(html.slice(last, match.index)));
    const url = decodeEntities(match[1] ?? match[2] ?? '').trim();
    const label = htmlText(match[3] ?? '').trim();
    // Slack link syntax cannot carry | or > inside the URL; such a URL is shown as text instead.
    out += /^https?:\/\/[^\s|<>]+$/.test(url)
      ? `<${url}|${escapeForSlack(label || url)}>`
      : escapeForSlack(label);
    last = match.index + match[0].length;
  }
  out += escapeForSlack(htmlText(html.slice(last)));
  return out.replace(/[ \t]+/g, ' ').trim();
}
