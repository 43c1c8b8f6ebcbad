/**
 * The bot as separate OS processes started with the real entry (src/main.ts), and the chaos loop
 * that SIGKILLs a random one every few seconds and starts it again. Like a disruption budget, the
 * loop only kills a replica that has finished starting, and never the last one up: on a loaded
 * 2-core machine a start takes seconds, and killing starters would only measure an outage.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

const ENTRY = join(import.meta.dirname, '..', '..', 'src', 'main.ts');
/** A replica that ignores SIGTERM this long is killed. */
const STOP_GRACE_MS = 10_000;
/** Pause between a kill and the restart: a crash-looping pod comes back after a moment too. */
const RESTART_DELAY_MS = 300;

interface Replica {
  index: number;
  child: ChildProcess | null;
  /** Logged "Access Desk started". */
  ready: boolean;
  log: WriteStream;
}

const READY_LINE = 'Access Desk started';

export class Replicas {
  readonly #replicas: Replica[] = [];
  readonly #env: Record<string, string>;
  kills = 0;
  /** Chaos ticks that found fewer than two replicas up, so killed nobody. */
  skippedKills = 0;
  starts = 0;
  /** Exits nobody asked for (not a SIGKILL of ours, not a stop). */
  readonly crashes: string[] = [];
  #chaos: NodeJS.Timeout | undefined;
  #stopping = false;

  constructor(count: number, env: Record<string, string>, logDir: string) {
    // A clean environment: only the settings the soak gives, so nothing of the caller's leaks in.
    // The compile cache makes the many restarts cheaper on a small machine.
    this.#env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NODE_COMPILE_CACHE: join(logDir, 'compile-cache'),
      ...env,
    };
    for (let index = 0; index < count; index += 1) {
      this.#replicas.push({
        index,
        child: null,
        ready: false,
        log: createWriteStream(join(logDir, `replica-${index}.log`)),
      });
    }
  }

  startAll(): void {
    for (const r of this.#replicas) this.#start(r);
  }

  #start(r: Replica): void {
    const child = spawn(process.execPath, [ENTRY], { env: this.#env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.starts += 1;
    r.child = child;
    r.ready = false;
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (r.child === child && line.includes(READY_LINE)) r.ready = true;
      r.log.write(`${line}\n`);
    });
    child.stderr?.pipe(r.log, { end: false });
    child.once('exit', (code, signal) => {
      if (r.child === child) {
        r.child = null;
        r.ready = false;
      }
      if (signal !== 'SIGKILL' && !this.#stopping) {
        this.crashes.push(`replica ${r.index} exited (code ${code}, signal ${signal})`);
        setTimeout(() => this.#stopping || this.#start(r), RESTART_DELAY_MS);
      }
    });
  }

  /** SIGKILL a random live replica every `everyMs`, restarting it shortly after. */
  startChaos(everyMs: number, random: () => number): void {
    this.#chaos = setInterval(() => {
      const ready = this.#replicas.filter((r) => r.ready && r.child !== null);
      const victim = ready[Math.floor(random() * ready.length)];
      if (ready.length < 2 || !victim?.child) {
        this.skippedKills += 1;
        return;
      }
      victim.child.kill('SIGKILL');
      victim.child = null;
      victim.ready = false;
      this.kills += 1;
      setTimeout(() => this.#stopping || this.#start(victim), RESTART_DELAY_MS);
    }, everyMs);
  }

  stopChaos(): void {
    clearInterval(this.#chaos);
    this.#chaos = undefined;
  }

  /** The live replicas' process ids (the replicas benchmark reads their CPU time). */
  get pids(): number[] {
    return this.#replicas.flatMap((r) => (r.child?.pid === undefined ? [] : [r.child.pid]));
  }

  get ready(): number {
    return this.#replicas.filter((r) => r.ready).length;
  }

  /** SIGTERM every replica (graceful stop) and wait for the exits; SIGKILL after a grace period. */
  async stopAll(): Promise<void> {
    this.stopChaos();
    this.#stopping = true;
    await Promise.all(
      this.#replicas.map(async (r) => {
        const child = r.child;
        if (child && child.exitCode === null && child.signalCode === null) {
          const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
          child.kill('SIGTERM');
          const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
          await exited;
          clearTimeout(timer);
        }
        await new Promise<void>((resolve) => r.log.end(() => resolve()));
      }),
    );
  }
}
