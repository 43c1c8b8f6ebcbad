import { describe, expect, it } from 'vitest';
import { RateLimiter } from '../../../src/flows/rate-limiter.ts';
import { FakeClock } from '../../fakes/fake-clock.ts';

describe('RateLimiter', () => {
  const T0 = new Date('2026-12-01T10:00:00Z');

  it('allows the limit within a window, refuses the next with when the oldest use expires', () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limit: 10, windowMs: 60_000, clock });
    for (let i = 0; i < 10; i++) {
      expect(limiter.take('U1')).toEqual({ ok: true });
      clock.advance(1_000);
    }
    expect(limiter.take('U1')).toEqual({ ok: false, retryAt: new Date(T0.getTime() + 60_000) });
    expect(limiter.take('U2')).toEqual({ ok: true });
  });

  it('slides: once the oldest use is a window old, one more is allowed', () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limit: 2, windowMs: 60_000, clock });
    limiter.take('U1');
    clock.advance(30_000);
    limiter.take('U1');
    expect(limiter.take('U1').ok).toBe(false);
    clock.advance(30_001);
    expect(limiter.take('U1').ok).toBe(true);
    expect(limiter.take('U1')).toEqual({ ok: false, retryAt: new Date(T0.getTime() + 90_000) });
  });

  it('a refused attempt does not count', () => {
    const clock = new FakeClock(T0);
    const limiter = new RateLimiter({ limit: 1, windowMs: 60_000, clock });
    limiter.take('U1');
    for (let i = 0; i < 5; i++) limiter.take('U1');
    clock.advance(60_001);
    expect(limiter.take('U1').ok).toBe(true);
  });
});
