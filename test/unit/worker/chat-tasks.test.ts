/** The tasks that talk to Slack, over a fake Messaging: what each one sends, and that it sends one thing. */
import { describe, expect, it } from 'vitest';
import { factsPatch } from '../../../src/domain/facts.ts';
import { JOB } from '../../../src/flows/jobs.ts';
import type { Job } from '../../../src/store/store.ts';
import { MessageGoneError } from '../../../src/worker/messaging.ts';
import { renderCardTask } from '../../../src/worker/tasks/render-card.ts';
import { submittedNoticeTask } from '../../../src/worker/tasks/submitted-notice.ts';
import { threadReplyTask } from '../../../src/worker/tasks/thread-reply.ts';
import { captureLogger } from '../../fakes/capture-log.ts';
import { FakeClock } from '../../fakes/fake-clock.ts';
import {
  APPROVAL_CHANNEL,
  approvedRequest,
  FakeMessaging,
  FakeProvisioner,
  runningJob,
  taskContext,
  useMemoryStore,
} from './task-fakes.ts';

describe('chat tasks', () => {
  const storeOf = useMemoryStore();
  const clock = new FakeClock();

  const setup = () => {
    const messaging = new FakeMessaging();
    return {
      messaging,
      ctx: taskContext(storeOf(), clock, captureLogger().log, new FakeProvisioner(), messaging),
    };
  };
  const job = (kind: string, requestId: string, payload: Job['payload'] = null) =>
    runningJob(clock, kind, requestId, payload);

  it('render-card: the first post saves the card and queues the requester’s notice with it; later runs update', async () => {
    const { messaging, ctx } = setup();
    const id = await approvedRequest(storeOf(), clock);
    await renderCardTask(ctx, job(JOB.renderCard, id));
    const { card } = await storeOf().getRequest(id);
    expect(card?.channel).toBe(APPROVAL_CHANNEL);
    expect((await storeOf().listJobs(id)).map((j) => j.kind)).toEqual([JOB.submittedNotice]);
    await renderCardTask(ctx, job(JOB.renderCard, id));
    expect(messaging.lines()).toEqual(['post card APPROVED', 'update card APPROVED']);
    expect((await storeOf().listJobs(id)).map((j) => j.kind)).toEqual([JOB.submittedNotice]);
  });

  it('render-card: a card gone from Slack is posted again and relinked, without a second notice', async () => {
    const { messaging, ctx } = setup();
    const id = await approvedRequest(storeOf(), clock);
    await renderCardTask(ctx, job(JOB.renderCard, id));
    const first = (await storeOf().getRequest(id)).card;
    messaging.failNext('update', undefined, new MessageGoneError('message_not_found'));
    await renderCardTask(ctx, job(JOB.renderCard, id));
    const second = (await storeOf().getRequest(id)).card;
    expect(second).not.toEqual(first);
    expect(messaging.lines()).toEqual(['post card APPROVED', 'post card APPROVED']);
    expect((await storeOf().listJobs(id)).filter((j) => j.kind === JOB.submittedNotice)).toHaveLength(1);
  });

  it('submitted-notice: ephemeral where the requester typed; when that fails, one DM instead', async () => {
    const { messaging, ctx } = setup();
    const id = await approvedRequest(storeOf(), clock, { originChannel: 'C0GENERAL' });
    await storeOf().setCard(id, { channel: APPROVAL_CHANNEL, ts: '1.1' }, null);
    await submittedNoticeTask(ctx, job(JOB.submittedNotice, id));
    messaging.failNext('ephemeral', 'submitted');
    await submittedNoticeTask(ctx, job(JOB.submittedNotice, id));
    expect(messaging.lines()).toEqual(['ephemeral U0REQUESTER submitted', 'dm U0REQUESTER submitted']);
    const [notice] = messaging.sent;
    expect(
      notice?.via === 'ephemeral' && notice.content.type === 'submitted' && notice.content.cardLink,
    ).toMatch(/1\.1$/);
  });

  it('thread-reply: one reply per job, the decision with its count; waits while there is no card', async () => {
    const { messaging, ctx } = setup();
    const id = await approvedRequest(storeOf(), clock);
    await expect(threadReplyTask(ctx, job(JOB.threadReply, id, { type: 'outcome' }))).rejects.toThrow(
      /not posted yet/,
    );
    await storeOf().setCard(id, { channel: APPROVAL_CHANNEL, ts: '2.2' }, null);
    const req = await storeOf().getRequest(id);
    await storeOf().transition({
      id,
      expected: { status: req.status, version: req.version },
      to: 'SUCCEEDED',
      facts: factsPatch({ outcome: { kind: 'done', headline: 'Created', lines: [] } }),
      audit: { actor: 'system', action: 'succeeded' },
      at: clock.now(),
    });
    await threadReplyTask(ctx, job(JOB.threadReply, id, { type: 'outcome' }));
    await threadReplyTask(ctx, job(JOB.threadReply, id, { type: 'note', text: 'Attempt 1 of 5' }));
    expect(messaging.lines()).toEqual(['reply outcome', 'reply note']);
    const [outcome] = messaging.sent;
    expect(outcome).toMatchObject({ via: 'reply', card: { ts: '2.2' }, content: { status: 'SUCCEEDED' } });
  });
});
