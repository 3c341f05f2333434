import { type ChildProcess, fork } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SharedRefreshOutcome } from '../../../src/session/coordinator.js';
import { bundleForNode } from '../../support/bundle.js';
import { type RunningRedis, startRedis } from '../../support/redis.js';

const PROCESSES = 4;
const CALLS_PER_PROCESS = 25;

let server: RunningRedis;
let counter: Server;
let counterUrl: string;
let refreshes: string[] = [];
let bundle: Awaited<ReturnType<typeof bundleForNode>> | undefined;

beforeAll(async () => {
  server = await startRedis();
  // The "identity provider": counts refresh calls and answers like a slow token endpoint.
  counter = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      refreshes.push(body);
      setTimeout(() => {
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({ ok: true, sealedSession: `sealed-by-${body}-${refreshes.length}` }));
      }, 100);
    });
  });
  await new Promise<void>((resolve) => counter.listen(0, '127.0.0.1', resolve));
  const address = counter.address();
  if (typeof address !== 'object' || address === null) throw new Error('no address');
  counterUrl = `http://127.0.0.1:${address.port}/refresh`;

  bundle = await bundleForNode(new URL('./fixtures/refresh-worker.ts', import.meta.url));
});

afterAll(async () => {
  await new Promise((resolve) => counter?.close(resolve));
  await server?.stop();
  await bundle?.dispose();
});

function message<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: { type: string }) => {
      if (m.type === type) {
        child.off('message', onMessage);
        resolve(m as T);
      }
    };
    child.on('message', onMessage);
    child.once('exit', (code) => code !== 0 && reject(new Error(`worker exited with ${code}`)));
  });
}

function spawnWorkers(count: number, env: NodeJS.ProcessEnv): ChildProcess[] {
  return Array.from({ length: count }, () =>
    fork(bundle!.file, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }),
  );
}

async function runWorkers(children: ChildProcess[]): Promise<SharedRefreshOutcome[]> {
  await Promise.all(children.map((c) => message(c, 'ready')));
  const done = children.map((c) => message<{ results: SharedRefreshOutcome[] }>(c, 'results'));
  for (const c of children) c.send('go');
  return (await Promise.all(done)).flatMap((m) => m.results);
}

function killAll(children: ChildProcess[]): void {
  for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
}

it(`refreshes once for ${PROCESSES} processes × ${CALLS_PER_PROCESS} concurrent calls on one Redis`, async () => {
  refreshes = [];
  const token = `rt_${crypto.randomUUID()}`;
  const children = spawnWorkers(PROCESSES, {
    REDIS_URL: server.url, COUNTER_URL: counterUrl, TOKEN: token, CALLS: String(CALLS_PER_PROCESS),
  });
  try {
    const results = await runWorkers(children);

    expect(refreshes).toHaveLength(1);
    expect(results).toHaveLength(PROCESSES * CALLS_PER_PROCESS);
    const sealed = new Set(results.map((r) => (r.ok ? r.sealedSession : r.reason)));
    expect([...sealed]).toEqual([`sealed-by-${refreshes[0]}-1`]);
    expect(results.filter((r) => !r.shared)).toHaveLength(1);
  } finally {
    killAll(children);
  }
});

it('takes over when the process holding the lock is killed mid-refresh', async () => {
  refreshes = [];
  const env = { REDIS_URL: server.url, COUNTER_URL: counterUrl, TOKEN: `rt_${crypto.randomUUID()}`, LOCK_TTL_MS: '600' };
  const [holder] = spawnWorkers(1, { ...env, CALLS: '5', HANG: '1' });
  const others = spawnWorkers(3, { ...env, CALLS: '10' });
  try {
    await message(holder!, 'ready');
    holder!.send('go');
    await expect.poll(() => refreshes.length, { timeout: 5_000, interval: 10 }).toBe(1);
    holder!.kill('SIGKILL'); // dies holding the lock; only its expiry can free it

    const results = await runWorkers(others);
    expect(refreshes).toHaveLength(2);
    expect(refreshes[1]).not.toBe(refreshes[0]);
    expect(results).toHaveLength(30);
    for (const r of results) expect(r).toMatchObject({ ok: true, sealedSession: `sealed-by-${refreshes[1]}-2` });
  } finally {
    killAll([holder!, ...others]);
  }
});
