/**
 * The example Next.js app (examples/nextjs) as a test fixture: built once per content (the
 * hash of its sources and of the library build it bundles), served by `next start` on a
 * loopback port against the emulator, with a clock the test can move.
 */
import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { freePort } from '../../support/redis.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const APP = join(ROOT, 'examples/nextjs');
const NEXT = join(ROOT, 'node_modules/next/dist/bin/next');
const HASH_FILE = join(APP, '.next/sealed-session-build-hash');

async function filesUnder(dir: string, skip: (path: string) => boolean): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (skip(path)) continue;
    if (entry.isDirectory()) found.push(...(await filesUnder(path, skip)));
    else found.push(path);
  }
  return found.sort();
}

/** What the build depends on: the app's sources, the library build, the Next.js version. */
async function buildHash(): Promise<string> {
  const hash = createHash('sha256');
  const app = await filesUnder(APP, (path) => /[/\\](\.next|node_modules)$|next-env\.d\.ts$/.test(path));
  const dist = await filesUnder(join(ROOT, 'dist'), (path) => path.endsWith('.map'));
  for (const file of [...app, ...dist, join(ROOT, 'package.json'), join(ROOT, 'node_modules/next/package.json')]) {
    hash.update(relative(ROOT, file)).update('\0').update(await readFile(file)).update('\0');
  }
  return hash.digest('hex');
}

/** Builds the app unless the last build was of the same content. Webpack: Turbopack refuses a node_modules reached through a symlink. */
export async function buildApp(): Promise<void> {
  if (!existsSync(join(ROOT, 'dist/next/index.js'))) throw new Error('The Next.js test bundles the library build: run `npm run build` first.');
  const hash = await buildHash();
  if (existsSync(HASH_FILE) && (await readFile(HASH_FILE, 'utf8')) === hash) return;
  await promisify(execFile)(process.execPath, [NEXT, 'build', '--webpack'], {
    cwd: APP,
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
    maxBuffer: 16 * 1024 * 1024,
  });
  await writeFile(HASH_FILE, hash);
}

export interface RunningApp {
  origin: string;
  /** Moves the server's clock `offsetMs` ahead of the real one (0: back to real time). */
  setClock(offsetMs: number): Promise<void>;
  /** What the server printed, for failure messages. */
  output(): string;
  close(): Promise<void>;
}

/** `next start` on a free loopback port, configured by environment as the app's README says. */
export async function startApp(provider: { url: string; clientId: string; apiKey: string }, password: string): Promise<RunningApp> {
  const port = await freePort();
  const origin = `http://localhost:${port}`;
  const clockDir = await mkdtemp(join(tmpdir(), 'sealed-session-next-clock-'));
  const clockFile = join(clockDir, 'offset');
  const api = new URL(provider.url);
  const child: ChildProcess = spawn(process.execPath, [NEXT, 'start', '-p', String(port), '-H', 'localhost'], {
    cwd: APP,
    env: {
      PATH: process.env.PATH,
      NODE_ENV: 'production',
      NEXT_TELEMETRY_DISABLED: '1',
      NODE_OPTIONS: `--import ${join(ROOT, 'test/integration/next/fixtures/clock.mjs')}`,
      SEALED_SESSION_TEST_CLOCK: clockFile,
      WORKOS_CLIENT_ID: provider.clientId,
      WORKOS_API_KEY: provider.apiKey,
      WORKOS_COOKIE_PASSWORD: password,
      WORKOS_API_HOSTNAME: api.hostname,
      WORKOS_API_PORT: api.port,
      WORKOS_API_HTTPS: 'false',
      NEXT_PUBLIC_WORKOS_REDIRECT_URI: `${origin}/auth/callback`,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`next start exited:\n${output}`);
    try {
      await fetch(`${origin}/signed-out`);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`next start did not answer:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  return {
    origin,
    output: () => output,
    async setClock(offsetMs) {
      await writeFile(clockFile, String(offsetMs));
      await rm(`${clockFile}.ack`, { force: true });
      child.kill('SIGUSR2');
      const until = Date.now() + 5_000;
      while ((await readFile(`${clockFile}.ack`, 'utf8').catch(() => '')) !== String(offsetMs)) {
        if (Date.now() > until) throw new Error('the server did not take the new clock');
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
    },
    async close() {
      child.kill('SIGTERM');
      await exited;
      await rm(clockDir, { recursive: true, force: true });
    },
  };
}
