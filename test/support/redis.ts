/**
 * Starts a throwaway `redis-server` on a free loopback port for a test file.
 *
 * @example
 * ```ts
 * let redis: RunningRedis;
 * beforeAll(async () => { redis = await startRedis(); });
 * afterAll(() => redis.stop());
 * ```
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, Socket } from 'node:net';

/** A running redis-server. */
export interface RunningRedis {
  /** `redis://127.0.0.1:<port>` */
  url: string;
  port: number;
  /** Graceful shutdown (SIGTERM), resolves once the process has exited. Idempotent. */
  stop(): Promise<void>;
  /** Abrupt death (SIGKILL), as in a crash or a network cut. Idempotent. */
  kill(): Promise<void>;
  /** Whether the process has exited. */
  exited(): boolean;
}

/** Path of the server binary: `REDIS_SERVER` or `redis-server` on the PATH. */
export const REDIS_SERVER = process.env.REDIS_SERVER ?? 'redis-server';

/** A TCP port nobody listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Sends one inline PING; resolves `true` on `+PONG`. */
function ping(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (data) => done(data.toString().startsWith('+PONG')));
    socket.connect(port, '127.0.0.1', () => socket.write('PING\r\n'));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

/**
 * Starts redis-server without persistence; rejects if it does not answer PING within `timeoutMs`.
 * `args` are more command-line options (a cluster node's, for instance); `dir` its working directory.
 */
export async function startRedis(options: { timeoutMs?: number; args?: string[]; dir?: string } = {}): Promise<RunningRedis> {
  const { timeoutMs = 10_000, args = [], dir } = options;
  const port = await freePort();
  const child = spawn(
    REDIS_SERVER,
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--protected-mode', 'no', ...args],
    { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir },
  );
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  spawnError.catch(() => undefined);

  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`redis-server exited (${child.exitCode}): ${stderr}`);
    if (await Promise.race([ping(port), spawnError])) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms: ${stderr}`);
    }
    await new Promise((r) => setTimeout(r, 25));
  }

  const signal = (sig: NodeJS.Signals) => async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill(sig);
    await exited(child);
  };
  const gone = (): boolean => child.exitCode !== null || child.signalCode !== null;
  return { url: `redis://127.0.0.1:${port}`, port, stop: signal('SIGTERM'), kill: signal('SIGKILL'), exited: gone };
}
