/**
 * LISTEN/NOTIFY for the job queue: every job insert runs `NOTIFY` (delivered when its transaction
 * commits), and each replica keeps one dedicated connection LISTENing, so an idle worker anywhere
 * looks at once instead of after its poll interval. The payload is the schema, so test schemas
 * sharing one database do not wake each other. A lost connection is re-opened; polling covers the gap.
 */
import pg from 'pg';

const CHANNEL = 'access_desk_jobs';
const RECONNECT_MS = 1_000;

/** Run in the inserting transaction. */
export const NOTIFY_JOBS = `SELECT pg_notify('${CHANNEL}', current_schema())`;

export async function listenForJobs(
  config: pg.ClientConfig,
  onNotified: () => void,
  onError: (error: Error) => void,
): Promise<() => Promise<void>> {
  let stopped = false;
  let current: pg.Client | null = null;
  let timer: NodeJS.Timeout | undefined;

  const open = async (): Promise<void> => {
    const client = new pg.Client(config);
    client.on('error', (error) => {
      onError(error);
      retire(client);
    });
    client.on('end', () => retire(client));
    await client.connect();
    const schema = (await client.query<{ s: string }>('SELECT current_schema() AS s')).rows[0]?.s;
    client.on('notification', (msg) => {
      if (msg.channel === CHANNEL && msg.payload === schema) onNotified();
    });
    await client.query(`LISTEN ${CHANNEL}`);
    current = client;
  };

  const retire = (client: pg.Client) => {
    if (current !== client && current !== null) return;
    current = null;
    void client.end().catch(() => undefined);
    if (stopped || timer) return;
    timer = setTimeout(() => {
      timer = undefined;
      open()
        // Whatever was enqueued while nobody listened is found by one look.
        .then(onNotified)
        .catch((error: unknown) => {
          onError(error instanceof Error ? error : new Error(String(error)));
          if (!stopped && !current) retire(client);
        });
    }, RECONNECT_MS);
    timer.unref();
  };

  await open();
  return async () => {
    stopped = true;
    clearTimeout(timer);
    const client = current;
    current = null;
    await client?.end();
  };
}
