/**
 * Vendor words → mrkdwn. Plain text is escaped. PJM's HTML (its success text ends in
 * `<a href="…">Contact PJM</a>`) keeps its http/https links as `<URL|Text>`; other tags go, and
 * entities are decoded by `entities` (an invalid code point becomes U+FFFD, it never throws)
 * before the text is escaped again.
 */
import { decodeHTML } from 'entities';
import type { VendorText } from '../../vendors/provisioner.ts';
import { esc, link } from './mrkdwn.ts';

/** Plain text of an HTML fragment: tags removed, <br> as a line break, entities decoded. */
function htmlText(html: string): string {
  return decodeHTML(html.replace(/<br\s*\/?>/gi, '\n').replace(/<[^>]*>/g, ''));
}

const LINK = /<a\b[^>]*?\bhref\s*=\s*(?:"([^"]*)"|'([^']*)')[^>]*>([\s\S]*?)<\/a\s*>/gi;

/** One HTML fragment → mrkdwn, every character of it escaped except the links made here. */
export function htmlToMrkdwn(html: string): string {
  let out = '';
  let last = 0;
  for (const match of html.matchAll(LINK)) {
    out += esc(htmlText(html.slice(last, match.index)));
    const url = decodeHTML(match[1] ?? match[2] ?? '').trim();
    const label = htmlText(match[3] ?? '').trim();
    out += link(url, label || url);
    last = match.index + match[0].length;
  }
  out += esc(htmlText(html.slice(last)));
  return out.replace(/[ \t]+/g, ' ').trim();
}

/** Vendor words as mrkdwn: always escaped; only HTML links to http/https stay links. */
export const vendorMrkdwn = (t: VendorText): string =>
  typeof t === 'string' ? esc(t) : htmlToMrkdwn(t.html);
