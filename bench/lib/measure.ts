/**
 * A small interleaved timing loop. Tasks of one comparison take turns batch by batch, in an
 * order that rotates every round, so a neighbour's test run, a CPU frequency change or another
 * task's garbage lands on every task alike instead of on whichever ran last or first; each
 * task's figure is the median of its batch means.
 */

/** One operation; the index lets a task walk a pool of distinct inputs. */
export type Op = (index: number) => unknown;

export interface Task {
  name: string;
  /**
   * Untimed preparation of one batch: returns the operation to time. Lets a batch start from
   * state the operation must not have seen (fresh caches, fresh cookies).
   */
  prepare: () => Op | Promise<Op>;
  /** Operations per batch (at most the size of the task's input pool, when it has one). */
  batch: number;
}

export interface Timing {
  name: string;
  /** Median over batches of the mean time of one operation, in microseconds. */
  medianUs: number;
  /**
   * Median over batches of the process CPU time per operation, in microseconds (all threads:
   * WebCrypto's thread pool counts too). Steadier than wall time when other processes share the
   * cores, since time spent descheduled is not counted.
   */
  cpuMedianUs: number;
  /** Fastest and slowest batch means, to show the spread. */
  minUs: number;
  maxUs: number;
  batches: number;
  ops: number;
}

export interface MeasureOptions {
  /** Timed budget for the whole comparison, in milliseconds. */
  timeMs: number;
  /** Untimed warm-up budget (JIT, JWKS, connection pools), in milliseconds. */
  warmupMs: number;
  /** At least this many batches per task, whatever the budget. */
  minBatches?: number;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

interface BatchTime {
  elapsedMs: number;
  cpuMs: number;
  count: number;
}

async function runBatch(task: Task): Promise<BatchTime> {
  const op = await task.prepare();
  const cpu = process.cpuUsage();
  const start = performance.now();
  for (let i = 0; i < task.batch; i++) {
    const result = op(i);
    // Synchronous floors stay synchronous: awaiting them would add a microtask they do not need.
    if (result instanceof Promise) await result;
  }
  const elapsedMs = performance.now() - start;
  const used = process.cpuUsage(cpu);
  return { elapsedMs, cpuMs: (used.user + used.system) / 1000, count: task.batch };
}

/** Times `tasks` against each other, interleaved. */
export async function measure(tasks: readonly Task[], options: MeasureOptions): Promise<Timing[]> {
  const warmupEnd = performance.now() + options.warmupMs;
  do {
    for (const task of tasks) await runBatch(task);
  } while (performance.now() < warmupEnd);

  const means = tasks.map(() => [] as number[]);
  const cpuMeans = tasks.map(() => [] as number[]);
  const counts = tasks.map(() => 0);
  const minBatches = options.minBatches ?? 5;
  const end = performance.now() + options.timeMs;
  let rounds = 0;
  while (rounds < minBatches || performance.now() < end) {
    // The first task of a round changes every round: whichever runs first makes the inputs the
    // round shares (fresh seals), and whichever follows the heaviest task inherits its garbage.
    for (let turn = 0; turn < tasks.length; turn++) {
      const index = (rounds + turn) % tasks.length;
      const task = tasks[index]!;
      const { elapsedMs, cpuMs, count } = await runBatch(task);
      means[index]!.push((elapsedMs * 1000) / count);
      cpuMeans[index]!.push((cpuMs * 1000) / count);
      counts[index]! += count;
    }
    rounds++;
  }
  return tasks.map((task, index) => ({
    name: task.name,
    medianUs: median(means[index]!),
    cpuMedianUs: median(cpuMeans[index]!),
    minUs: Math.min(...means[index]!),
    maxUs: Math.max(...means[index]!),
    batches: means[index]!.length,
    ops: counts[index]!,
  }));
}

export { median };
