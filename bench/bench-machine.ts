/** The machine the numbers were taken on, for the report header and BENCHMARKS.md. */
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { z } from 'zod';

export interface Machine {
  cpu: string;
  cores: number;
  ramGiB: number;
  node: string;
  date: string;
}

/** /proc/cpuinfo's first "model name" line; other platforms fall back to os.cpus(). */
const cpuinfoSchema = z
  .string()
  .transform((text) => /^model name\s*:\s*(.+)$/m.exec(text)?.[1]?.trim())
  .pipe(z.string().min(1));

function cpuModel(): string {
  try {
    return cpuinfoSchema.parse(readFileSync('/proc/cpuinfo', 'utf8'));
  } catch {
    return cpus()[0]?.model ?? 'unknown CPU';
  }
}

export function describeMachine(now: Date): Machine {
  return {
    cpu: cpuModel(),
    cores: cpus().length,
    ramGiB: Math.round((totalmem() / 2 ** 30) * 10) / 10,
    node: process.version,
    date: now.toISOString().slice(0, 10),
  };
}

export const formatMachine = (m: Machine): string =>
  `${m.cpu}, ${m.cores} cores, ${m.ramGiB} GiB RAM, Node ${m.node}, ${m.date}`;
