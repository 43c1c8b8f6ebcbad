/** Read side of the fake: what the bot said and showed, and deadline-bound waits on it. */
import type {
  ApiCall,
  FakeSlackState,
  StoredEphemeral,
  StoredMessage,
  StoredView,
  TranscriptEntry,
  Violation,
} from './fake-slack-state.ts';

export interface WaitOptions {
  /** Real milliseconds before the wait fails; default 5000. */
  timeoutMs?: number;
  /** Named in the timeout error, so a failing test says what it was waiting for. */
  description?: string;
}

export class FakeSlackQueries {
  protected readonly state: FakeSlackState;

  constructor(state: FakeSlackState) {
    this.state = state;
  }

  /** Top-level messages in a channel (thread replies excluded), oldest first; deleted ones omitted. */
  messages(channel: string): StoredMessage[] {
    return this.state.messages.filter((m) => m.channel === channel && m.threadTs === undefined && !m.deleted);
  }

  /** Replies in the thread under `ts`, oldest first (the parent itself excluded). */
  thread(channel: string, ts: string): StoredMessage[] {
    return this.state.messages.filter((m) => m.channel === channel && m.threadTs === ts && !m.deleted);
  }

  message(channel: string, ts: string): StoredMessage | undefined {
    return this.state.findMessage(channel, ts);
  }

  /** Everything the bot said in its DM with `user`, threads included. */
  dms(user: string): StoredMessage[] {
    const channel = `D${user}`;
    return this.state.messages.filter((m) => m.channel === channel && !m.deleted);
  }

  ephemerals(user: string): StoredEphemeral[] {
    return this.state.ephemerals.filter((e) => e.user === user);
  }

  /** Every modal the bot showed `user`, in the order opened or pushed. */
  views(user: string): StoredView[] {
    return [...this.state.views.values()].filter((v) => v.user === user && v.type === 'modal');
  }

  /** The topmost open modal, else the last modal shown. */
  lastView(user: string): StoredView | undefined {
    return this.state.topModal(user) ?? this.views(user).at(-1);
  }

  homeTab(user: string): StoredView | undefined {
    const id = this.state.homeTabs.get(user);
    return id === undefined ? undefined : this.state.views.get(id);
  }

  /** Web API calls (and `response_url` posts) in order; filter by method name. */
  calls(method?: string): ApiCall[] {
    return this.state.calls.filter((c) => method === undefined || c.method === method);
  }

  /** Broken Slack limits, unfurl misses, unknown methods, bad acks. Tests assert this is empty. */
  violations(): Violation[] {
    return [...this.state.violations];
  }

  /** Everything the bot said or showed, in order. */
  transcript(): TranscriptEntry[] {
    return [...this.state.transcript];
  }

  /** The transcript as readable lines, for the sandbox and for failure messages. */
  formatTranscript(entries: readonly TranscriptEntry[] = this.state.transcript): string {
    return entries
      .map((e) => {
        const where = [
          e.channel && `#${e.channel}`,
          e.threadTs && `thread ${e.threadTs}`,
          e.user && `@${e.user}`,
          e.viewId && `view ${e.viewId}`,
        ]
          .filter(Boolean)
          .join(' ');
        const body = e.text.replaceAll('\n', '\n    ');
        return `${String(e.seq).padStart(4)} ${e.kind.padEnd(11)} ${where}${body ? `\n    ${body}` : ''}`;
      })
      .join('\n');
  }

  /**
   * Resolves with the predicate's first truthy value, re-checked on every recorded change (a call,
   * a connection, an ack). Fails after `timeoutMs` with the tail of the transcript.
   */
  waitFor<T>(predicate: () => T | undefined | null | false, options: WaitOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs ?? 5000;
    return new Promise<T>((resolve, reject) => {
      let unsubscribe: () => void = () => undefined;
      const done = (settle: () => void): void => {
        clearTimeout(timer);
        unsubscribe();
        settle();
      };
      const check = (): void => {
        try {
          const v = predicate();
          if (v !== undefined && v !== null && v !== false) done(() => resolve(v));
        } catch (e) {
          done(() => reject(e));
        }
      };
      const timer = setTimeout(() => {
        const tail = this.formatTranscript(this.state.transcript.slice(-10));
        const what = options.description ? ` for ${options.description}` : '';
        done(() => reject(new Error(`fake Slack: waited ${timeoutMs} ms${what}; last transcript:\n${tail}`)));
      }, timeoutMs);
      unsubscribe = this.state.onChange(check);
      check();
    });
  }

  /** The next message the bot posts (optionally in one channel) after this call. */
  nextMessage(channel?: string, options: WaitOptions = {}): Promise<StoredMessage> {
    const seen = this.state.messages.length;
    return this.waitFor(
      () => this.state.messages.slice(seen).find((m) => channel === undefined || m.channel === channel),
      { description: `a message${channel ? ` in ${channel}` : ''}`, ...options },
    );
  }
}
