/** Profiles one stretch of code with the inspector and summarizes where the samples fell. */
import { Session } from 'node:inspector/promises';
import { writeFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Runs `body` under the CPU profiler; writes the raw profile to `file` (open it in Chrome DevTools). */
export async function profile(file: string, body: () => Promise<void>): Promise<Profile> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 50 });
  await session.post('Profiler.start');
  await body();
  const { profile: result } = (await session.post('Profiler.stop')) as unknown as { profile: Profile };
  session.disconnect();
  await writeFile(file, JSON.stringify(result));
  return result;
}

const frameName = (node: ProfileNode) =>
  `${node.callFrame.functionName || '(anonymous)'} ${node.callFrame.url.split('/').slice(-2).join('/')}:${node.callFrame.lineNumber + 1}`;

/** The `top` functions by self time, as "percent name" lines. */
export function selfTimeSummary(result: Profile, top = 25): string {
  const byId = new Map(result.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  result.samples.forEach((id, index) => {
    const delta = result.timeDeltas[index] ?? 0;
    const name = frameName(byId.get(id)!);
    self.set(name, (self.get(name) ?? 0) + delta);
    total += delta;
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, time]) => `${((100 * time) / total).toFixed(1).padStart(5)}%  ${name}`)
    .join('\n');
}
