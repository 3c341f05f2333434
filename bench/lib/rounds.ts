/**
 * Fresh inputs shared by the tasks of one comparison: batch k of every task gets the same
 * array, made once. Used to hand each task the same never-seen cookie bytes, so no cache in
 * any library (verified tokens, opened cookies) can have seen them before the batch.
 */
export function sharedRounds<T>(taskCount: number, make: () => Promise<T>): (task: number) => Promise<T> {
  const rounds = new Map<number, { value: Promise<T>; left: number }>();
  const counters = Array.from({ length: taskCount }, () => 0);
  return (task) => {
    const round = counters[task]!++;
    let entry = rounds.get(round);
    if (!entry) rounds.set(round, (entry = { value: make(), left: taskCount }));
    if (--entry.left === 0) rounds.delete(round);
    return entry.value;
  };
}

/** Throws unless `result` says authenticated: a benchmark of failures would be meaningless. */
export function expectAuthenticated(result: { authenticated: boolean; reason?: unknown }): void {
  if (!result.authenticated) throw new Error(`authentication failed in a benchmark: ${String(result.reason)}`);
}
