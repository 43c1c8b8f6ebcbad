import { describe, expect, it } from 'vitest';
import { tolerateLostAck } from '../../../src/slack/listeners/tolerate-lost-ack.ts';
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
});
