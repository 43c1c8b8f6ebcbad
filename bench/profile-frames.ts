/** Self and total time per frame of a V8 CPU profile (.cpuprofile JSON), validated at the edge. */
import { z } from 'zod';

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
      children: z.array(z.number()).optional(),
    }),
  ),
  startTime: z.number(),
  endTime: z.number(),
  samples: z.array(z.number()),
});

export interface Frame {
  name: string;
  where: string;
  share: number;
}

export function topFrames(
  json: unknown,
  n: number,
): { samples: number; durationMs: number; self: Frame[]; total: Frame[] } {
  const p = profileSchema.parse(json);
  const byId = new Map(p.nodes.map((node) => [node.id, node]));
  const parent = new Map<number, number>();
  for (const node of p.nodes) for (const c of node.children ?? []) parent.set(c, node.id);
  const label = (id: number) => {
    const f = byId.get(id)!.callFrame;
    const where = f.url
      ? `${f.url.replace(/^.*\/node_modules\//, '').replace(/^file:\/\/.*\/(src|dist)\//, '$1/')}:${f.lineNumber + 1}`
      : '';
    return { name: f.functionName || '(anonymous)', where };
  };
  const self = new Map<string, Frame>();
  const total = new Map<string, Frame>();
  const bump = (into: Map<string, Frame>, id: number) => {
    const l = label(id);
    const k = `${l.name} ${l.where}`;
    const f = into.get(k) ?? { ...l, share: 0 };
    f.share += 1 / p.samples.length;
    into.set(k, f);
  };
  for (const s of p.samples) {
    bump(self, s);
    const seen = new Set<string>();
    for (let id: number | undefined = s; id !== undefined; id = parent.get(id)) {
      const l = label(id);
      const k = `${l.name} ${l.where}`;
      if (seen.has(k)) continue;
      seen.add(k);
      bump(total, id);
    }
  }
  const top = (m: Map<string, Frame>) => [...m.values()].sort((a, b) => b.share - a.share).slice(0, n);
  return {
    samples: p.samples.length,
    durationMs: (p.endTime - p.startTime) / 1000,
    self: top(self),
    total: top(total),
  };
}
