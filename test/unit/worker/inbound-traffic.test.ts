import { describe, expect, it } from 'vitest';
import { InboundTraffic } from '../../../src/worker/inbound-traffic.ts';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('InboundTraffic (acks first)', () => {
  it('with no delivery lately a claim goes ahead at once, before any timer', async () => {
    const events: string[] = [];
    const timer = tick(0).then(() => events.push('timer'));
    await new InboundTraffic(50, 1_000).settled().then(() => events.push('settled'));
    await timer;
    expect(events).toEqual(['settled', 'timer']);
  });

  it('waits while deliveries keep arriving, and goes ahead once they stop', async () => {
    const inbound = new InboundTraffic(20, 10_000);
    const events: string[] = [];
    inbound.arrived();
    const settled = inbound.settled().then(() => events.push('settled'));
    for (let i = 0; i < 5; i++) {
      await tick(5);
      inbound.arrived();
      events.push(`delivery ${i}`);
    }
    await settled;
    expect(events).toEqual(['delivery 0', 'delivery 1', 'delivery 2', 'delivery 3', 'delivery 4', 'settled']);
  });

  it('never starves the worker: a stream that does not stop is waited out for maxWaitMs only', async () => {
    const inbound = new InboundTraffic(1_000, 30);
    let settled = false;
    inbound.arrived();
    const done = inbound.settled().then(() => {
      settled = true;
    });
    while (!settled) {
      inbound.arrived();
      await tick(5);
    }
    await done;
    expect(settled).toBe(true);
  });

  it('waits while a delivery is still being handled (its decision, its modal), and goes ahead once it is', async () => {
    const inbound = new InboundTraffic(1, 10_000);
    const events: string[] = [];
    const handled = inbound.arrived();
    const settled = inbound.settled().then(() => events.push('settled'));
    await tick(20);
    events.push('handled');
    handled();
    await settled;
    expect(events).toEqual(['handled', 'settled']);
  });

  it('a delivery handled for long (a /lookup waiting on its vendor) holds the worker back maxWaitMs after it came, no longer', async () => {
    const inbound = new InboundTraffic(1, 30);
    inbound.arrived();
    await inbound.settled();
    const events: string[] = [];
    const next = inbound.settled().then(() => events.push('settled'));
    const timer = tick(0).then(() => events.push('timer'));
    await Promise.all([next, timer]);
    expect(events).toEqual(['settled', 'timer']);
  });
});
