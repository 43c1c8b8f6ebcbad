/**
 * Exactly-once messages across a job's attempts. Completing a job cannot share a transaction with
 * Slack, so a process killed after Slack accepted a message but before the job's completion was
 * committed leaves a job that runs again. Every message that can be looked up (card, thread reply,
 * DM) therefore carries its job's key, and an attempt that may follow one that sent first looks for
 * that key where the message would be: found means sent, and the job completes without sending. A
 * first attempt sends at once (one Slack call, as before). A file upload carries no metadata, so
 * its name carries the job instead (`fileName`), and a re-run looks in the thread for a file of
 * that name. Ephemerals cannot be looked up.
 */
import type { SlackRef } from '../domain/request.ts';
import type { Logger } from '../observability/logger.ts';
import type { Job } from '../store/store.ts';
import type { KeyedMessaging, Messaging, Place } from './messaging.ts';

/** How far before the job's creation a message may be dated: Slack's clock is not ours. */
const CLOCK_SKEW_MS = 5 * 60_000;

/**
 * The key a job's message carries. Coalesced jobs (card renders, one dedupe key per request)
 * share it: a render that inherits a failed twin's work finds the card the twin posted.
 */
export function messageKey(job: Pick<Job, 'id' | 'kind' | 'requestId' | 'dedupeKey'>): string {
  return job.dedupeKey ?? `${job.kind}:${job.requestId ?? '-'}:${job.id}`;
}

/**
 * The name a job's file is uploaded under: the task's name with the job's id before the extension
 * (`results-R1.csv` → `results-R1-job42.csv`), readable and the same on every attempt. Files are
 * never coalesced, so the id is enough.
 */
export function fileName(name: string, job: Pick<Job, 'id'>): string {
  const dot = name.lastIndexOf('.');
  const [stem, ext] = dot > 0 ? [name.slice(0, dot), name.slice(dot)] : [name, ''];
  return `${stem}-job${job.id}${ext}`;
}

/**
 * Whether an earlier attempt of this job may have sent its message: it ran before (a failed
 * attempt, or a lease that expired under a killed or stalled worker), or it was handed back by a
 * stopping worker or inherited a coalesced twin's failure (both leave `lastError`).
 */
export function mayHaveSent(job: Pick<Job, 'attempts' | 'lastError'>): boolean {
  return job.attempts > 1 || job.lastError !== null;
}

/** The task's Messaging for `job`: each message sent at most once across its attempts. */
export function sendOnce(chat: KeyedMessaging, job: Job, log: Logger): Messaging {
  const key = messageKey(job);
  const since = new Date(job.createdAt.getTime() - CLOCK_SKEW_MS);
  const lookFirst = mayHaveSent(job);
  const alreadySent = async (place: Place | { file: string; thread: SlackRef }) => {
    if (!lookFirst) return null;
    const found =
      'file' in place
        ? await chat.findFile(place.thread, place.file, since)
        : await chat.find(place, key, since);
    if (found)
      log.info(
        { requestId: job.requestId, jobId: job.id, key: 'file' in place ? place.file : key, ts: found.ts },
        'message already sent by an earlier attempt of this job; not sending it again',
      );
    return found;
  };
  return {
    post: async (channel, card) => (await alreadySent({ channel })) ?? chat.post(channel, card, key),
    update: (ref, card) => chat.update(ref, card),
    cardRender: (card) => chat.cardRender(card),
    remove: (ref) => chat.remove(ref),
    reply: async (card, content) => {
      if (!(await alreadySent({ thread: card }))) await chat.reply(card, content, key);
    },
    dm: async (userId, content) => {
      if (!(await alreadySent({ dm: userId }))) await chat.dm(userId, content, key);
    },
    replyFile: async (card, file) => {
      const filename = fileName(file.filename, job);
      if (!(await alreadySent({ file: filename, thread: card })))
        await chat.replyFile(card, { ...file, filename });
    },
    ephemeral: (channel, userId, content) => chat.ephemeral(channel, userId, content),
    permalink: (ref) => chat.permalink(ref),
  };
}
