/**
 * `node bench/profile-top.ts <file.cpuprofile> [n]`: the top frames of a V8 CPU profile (as written
 * by `node --cpu-prof`, e.g. the bot under `BENCH_CPU_PROF=<dir> npm run bench`) by self time and by
 * total time, as a share of the samples. Idle and GC are shown as their own lines.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { topFrames } from './profile-frames.ts';

const [file, n = '25'] = process.argv.slice(2);
if (!file) throw new Error('usage: node bench/profile-top.ts <file.cpuprofile> [n]');
const top = topFrames(JSON.parse(readFileSync(file, 'utf8')), z.coerce.number().int().positive().parse(n));
const line = (f: (typeof top.self)[number]) =>
  `${(f.share * 100).toFixed(1).padStart(5)} %  ${f.name}  ${f.where}`;
console.log(`${top.samples} samples over ${(top.durationMs / 1000).toFixed(1)} s\n\nself time:`);
for (const f of top.self) console.log(line(f));
console.log('\ntotal time (frames below included):');
for (const f of top.total) console.log(line(f));
