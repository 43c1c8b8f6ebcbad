import { describe, expect, it } from 'vitest';
import { markAcked, tolerateLostAck } from '../../../src/slack/listeners/tolerate-lost-ack.ts';
import { captureLogger } from '../../fakes/capture-log.ts';

describe('tolerateLostAck', () => {
  it('an ack that fails to send is logged and the listener goes on', async () => {
    const { log, text } = captureLogger('info');
    const steps: string[] = [];
    const listener = tolerateLostAck(log)(async ({ ack }: { ack: () => Promise<void> }) => {
      await ack();
      steps.push('after ack');
    });
    await listener({
      ack: async () => {
        throw new Error('Failed to send a WebSocket message as the client is not ready');
      },
    });
    expect(steps).toEqual(['after ack']);
    expect(text()).toMatch(/client is not ready.*Slack ack not delivered/);
  });

  it('passes the ack payload through and keeps the listener failure its own', async () => {
    const sent: unknown[] = [];
    const listener = tolerateLostAck(captureLogger().log)(
      async ({ ack }: { ack: (r: { response_action: string }) => Promise<void> }) => {
        await ack({ response_action: 'clear' });
        throw new Error('flow failed');
      },
    );
    await expect(listener({ ack: async (r) => void sent.push(r) })).rejects.toThrow('flow failed');
    expect(sent).toEqual([{ response_action: 'clear' }]);
  });

  it("after the guard acked, the listener's own ack sends nothing", async () => {
    const sent: unknown[] = [];
    const context: Record<string, unknown> = {};
    markAcked(context);
    const listener = tolerateLostAck(captureLogger().log)(
      async ({ ack }: { ack: () => Promise<void>; context?: Record<string, unknown> }) => {
        await ack();
      },
    );
    await listener({ ack: async () => void sent.push('ack'), context });
    expect(sent).toEqual([]);
  });

  it('a listener failing after the ack: the user is told, and the failure still reaches the error handler', async () => {
    const told: string[] = [];
    const wrap = tolerateLostAck<{ ack: () => Promise<void>; context?: Record<string, unknown> }>(
      captureLogger().log,
      async () => void told.push('told'),
    );
    const failsAfterAck = wrap(async ({ ack }) => {
      await ack();
      throw new Error('store down');
    });
    await expect(failsAfterAck({ ack: async () => undefined })).rejects.toThrow('store down');
    expect(told).toEqual(['told']);

    // Before any ack Slack still shows its own error (or retries), so nobody is told twice.
    const failsBeforeAck = wrap(async () => {
      throw new Error('parse failed');
    });
    await expect(failsBeforeAck({ ack: async () => undefined })).rejects.toThrow('parse failed');
    expect(told).toEqual(['told']);

    const context: Record<string, unknown> = {};
    markAcked(context);
    await expect(failsBeforeAck({ ack: async () => undefined, context })).rejects.toThrow('parse failed');
    expect(told).toEqual(['told', 'told']);
  });
});
