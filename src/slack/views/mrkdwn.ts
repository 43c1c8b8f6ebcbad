/**
 * The only mrkdwn vocabulary of the bot (api.slack.com/reference/surfaces/formatting). Every value a
 * template did not write itself goes through `esc`; mentions, dates and links are made here only,
 * from ids and URLs the bot holds, never from typed or vendor text.
 */

/** Escape Slack's three control characters, so text can never mention, link or open a sequence. */
export function esc(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Bold, with the value escaped. */
export const bold = (text: string) => `*${esc(text)}*`;

/** Shown instead of any secret value. */
export const MASK = '••••••••';

/** A date every reader sees in their own time zone; the ISO form is the fallback. */
export const slackDate = (d: Date) =>
  `<!date^${Math.floor(d.getTime() / 1000)}^{date_short_pretty} {time}|${d.toISOString()}>`;

/** Slack ids are upper-case letters and digits; anything else is shown as text, not a mention. */
const SLACK_ID = /^[A-Z0-9]+$/;

export const userMention = (id: string) => (SLACK_ID.test(id) ? `<@${id}>` : esc(id));
export const groupMention = (id: string) => (SLACK_ID.test(id) ? `<!subteam^${id}>` : esc(id));

/** A link to a URL the bot got from Slack (a permalink); other URLs are shown as text. */
export const link = (url: string, label: string) =>
  /^https?:\/\/[^\s|<>]+$/.test(url) ? `<${url}|${esc(label)}>` : esc(label);
