/** Vendor words → mrkdwn: PJM's HTML keeps http/https links only; everything else is escaped text. */
import { describe, expect, it } from 'vitest';
import { htmlToMrkdwn, vendorMrkdwn } from '../../../../src/slack/views/vendor-text.ts';

describe('htmlToMrkdwn', () => {
  it('turns links into Slack links and keeps the rest of PJM’s words', () => {
    expect(htmlToMrkdwn('please <a href="http://www.pjm.com/x.aspx" target="_blank">Contact PJM</a>.')).toBe(
      'please <http://www.pjm.com/x.aspx|Contact PJM>.',
    );
  });

  it('strips other tags, decodes entities and re-escapes Slack’s reserved characters', () => {
    expect(htmlToMrkdwn('<b>Other Power &amp; Light</b> &lt;ACCT&gt;&#39;s<br/>next &#x41; &hellip;')).toBe(
      "Other Power &amp; Light &lt;ACCT&gt;'s\nnext A …",
    );
  });

  it('shows a link that cannot be a Slack link as its text', () => {
    expect(htmlToMrkdwn("<a href='javascript:alert(1)'>Click</a>")).toBe('Click');
    expect(htmlToMrkdwn('<a href="https://x.example/a|b">Go</a>')).toBe('Go');
  });

  it('never throws on an invalid code point, and an encoded control sequence stays text', () => {
    expect(htmlToMrkdwn('a &#x110000; b &#xD800; c &#99999999999;')).toBe('a \uFFFD b \uFFFD c \uFFFD');
    expect(htmlToMrkdwn('&lt;!channel&gt; &#60;@U1&#62;')).toBe('&lt;!channel&gt; &lt;@U1&gt;');
  });

  it('keeps a link label from carrying a sequence', () => {
    expect(htmlToMrkdwn('<a href="https://x.example/">&lt;!here&gt;</a>')).toBe(
      '<https://x.example/|&lt;!here&gt;>',
    );
  });
});

describe('vendorMrkdwn', () => {
  it('escapes plain vendor text, tags included', () => {
    expect(vendorMrkdwn('<https://evil.example|Re-enter your password> & <!channel>')).toBe(
      '&lt;https://evil.example|Re-enter your password&gt; &amp; &lt;!channel&gt;',
    );
  });
});
