/**
 * response_url: what Bolt's respond() posts to. Slack allows five uses within 30 minutes; the body
 * decides between an ephemeral reply, a channel message, replacing or deleting the clicked message.
 */
import { z } from 'zod';
import { BlockSchema } from './block-kit-schemas.ts';
import type { FakeSlackState } from './fake-slack-state.ts';
import { plainText } from './plain-text.ts';
import { checkMessage, checkUnfurl } from './slack-limits.ts';
import { editMessage, storeBotMessage } from './web-api-chat.ts';

const MAX_USES = 5;
const LIFETIME_MS = 30 * 60 * 1000;

const ResponseBody = z.looseObject({
  text: z.string().optional(),
  blocks: z.array(BlockSchema).optional(),
  response_type: z.enum(['ephemeral', 'in_channel']).optional(),
  replace_original: z.boolean().optional(),
  delete_original: z.boolean().optional(),
  thread_ts: z.string().optional(),
  unfurl_links: z.boolean().optional(),
  unfurl_media: z.boolean().optional(),
});

export interface ResponseUrlAnswer {
  status: number;
  body: { ok: boolean; error?: string };
}

const answer = (status: number, error?: string): ResponseUrlAnswer => ({
  status,
  body: error === undefined ? { ok: true } : { ok: false, error },
});

function respond(state: FakeSlackState, id: string, raw: Record<string, unknown>): ResponseUrlAnswer {
  const target = state.responseUrls.get(id);
  if (target === undefined) return answer(404, 'invalid_url');
  if (state.now().getTime() - target.issuedAt.getTime() > LIFETIME_MS) return answer(404, 'expired_url');
  if (target.uses >= MAX_USES) return answer(404, 'used_url');
  target.uses += 1;
  const parsed = ResponseBody.safeParse(raw);
  if (!parsed.success) {
    const path = parsed.error.issues[0]?.path.map(String).join('.') ?? '';
    state.recordViolations('response_url', [
      { error: 'invalid_blocks', rule: 'malformed response body', path },
    ]);
    return answer(400, 'invalid_blocks');
  }
  const b = parsed.data;
  const original =
    target.messageTs === undefined ? undefined : state.findMessage(target.channel, target.messageTs);
  if (b.delete_original) {
    if (original === undefined) return answer(404, 'message_not_found');
    original.deleted = true;
    state.record({ kind: 'delete', channel: original.channel, ts: original.ts, text: '' });
    return answer(200);
  }
  const issues = checkMessage(b);
  if (issues.length > 0) {
    state.recordViolations('response_url', issues);
    return answer(400, issues[0]?.error);
  }
  if (b.replace_original) {
    if (original === undefined) return answer(404, 'message_not_found');
    editMessage(state, original, { text: b.text, blocks: b.blocks ?? [] });
    return answer(200);
  }
  if (b.response_type === 'in_channel') {
    state.recordViolations('response_url', checkUnfurl(b));
    storeBotMessage(state, {
      channel: target.channel,
      text: b.text,
      blocks: b.blocks,
      threadTs: b.thread_ts,
      unfurlLinks: b.unfurl_links,
      unfurlMedia: b.unfurl_media,
    });
    return answer(200);
  }
  const text = b.text ?? '';
  const blocks = b.blocks ?? [];
  state.ephemerals.push({
    channel: target.channel,
    user: target.user,
    text,
    blocks,
    threadTs: b.thread_ts,
    at: state.now(),
  });
  state.record({
    kind: 'ephemeral',
    channel: target.channel,
    user: target.user,
    text: plainText({ text, blocks }),
  });
  return answer(200);
}

/** Handles POST /response/<id> and records it as a call to the pseudo-method `response_url`. */
export function handleResponseUrl(
  state: FakeSlackState,
  id: string,
  body: Record<string, unknown>,
): ResponseUrlAnswer {
  const result = respond(state, id, body);
  state.recordCall('response_url', body, result.body.error);
  return result;
}
