/**
 * A vendor call under a time limit and, when given, an outer signal (the job's). When the call
 * settles, the limit's timer is cleared and the listener on the outer signal removed, so nothing of
 * the call outlives it. `AbortSignal.any([outer, AbortSignal.timeout(ms)])` says the same in one
 * line, but Node 24 holds every timeout signal given to any() (with its timer) until the timer fires:
 * minutes after a call that took milliseconds, thousands of them after a burst.
 */
export async function withDeadline<T>(
  ms: number,
  outer: AbortSignal | undefined,
  call: (signal: AbortSignal, timedOut: () => boolean) => Promise<T>,
): Promise<T> {
  const limit = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    limit.abort(new DOMException('The operation was aborted due to timeout', 'TimeoutError'));
  }, ms);
  const follow = () => limit.abort(outer?.reason);
  if (outer?.aborted) follow();
  else outer?.addEventListener('abort', follow, { once: true });
  try {
    return await call(limit.signal, () => timedOut);
  } finally {
    clearTimeout(timer);
    outer?.removeEventListener('abort', follow);
  }
}
