/**
 * withDeadline: a vendor call aborted by its limit or by the outer (job) signal, and nothing of it
 * left behind once it settles — no timer, no listener on the long-lived outer signal.
 */
import { getEventListeners } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withDeadline } from '../../../src/vendors/call-deadline.ts';

/** A call that settles only when its signal aborts (at once if it already has), with the signal's reason. */
const untilAborted = (signal: AbortSignal) =>
  new Promise<never>((_, reject) => {
    if (signal.aborted) reject(signal.reason);
    signal.addEventListener('abort', () => reject(signal.reason));
  });

describe('withDeadline', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('aborts the call with a TimeoutError when the limit passes, and says it timed out', async () => {
    let timedOut: () => boolean = () => false;
    const call = withDeadline(1_000, undefined, (signal, didTimeOut) => {
      timedOut = didTimeOut;
      return untilAborted(signal);
    });
    const failed = expect(call).rejects.toMatchObject({ name: 'TimeoutError' });
    vi.advanceTimersByTime(999);
    expect(timedOut()).toBe(false);
    vi.advanceTimersByTime(1);
    await failed;
    expect(timedOut()).toBe(true);
  });

  it("follows the outer signal, with the outer signal's reason, also when it is already aborted", async () => {
    const job = new AbortController();
    const call = withDeadline(60_000, job.signal, (signal, timedOut) =>
      untilAborted(signal).catch((e: unknown) => {
        expect(timedOut()).toBe(false);
        throw e;
      }),
    );
    job.abort(new Error('lease lost'));
    await expect(call).rejects.toThrow('lease lost');
    const gone = AbortSignal.abort(new Error('stopping'));
    await expect(withDeadline(60_000, gone, untilAborted)).rejects.toThrow('stopping');
  });

  it('leaves no timer and no listener on the outer signal once the call settles', async () => {
    const job = new AbortController();
    await expect(withDeadline(120_000, job.signal, async () => 'created')).resolves.toBe('created');
    await expect(
      withDeadline(120_000, job.signal, async () => {
        throw new Error('refused');
      }),
    ).rejects.toThrow('refused');
    expect(vi.getTimerCount()).toBe(0);
    expect(getEventListeners(job.signal, 'abort')).toHaveLength(0);
  });
});
