/**
 * Child processes of the cross-process refresh tests: app instances (the Hono test app on
 * Redis, `fixtures/app-worker.ts`) and the emulator on a movable clock
 * (`fixtures/emulator-worker.js`), with a request/answer exchange over IPC.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { bundleForNode } from '../../support/bundle.js';

export interface AppProcess {
  child: ChildProcess;
  origin: string;
}

/** The app fixture bundled for a child process; `dispose` removes the bundle. */
export function bundleAppWorker(): Promise<{ file: string; dispose: () => Promise<void> }> {
  return bundleForNode(new URL('./fixtures/app-worker.ts', import.meta.url));
}

/** Resolves with the child's `ready` message; rejects if it exits first. */
function ready<T>(child: ChildProcess): Promise<T> {
  return new Promise((resolve, reject) => {
    child.once('message', (m: T) => resolve(m));
    child.once('exit', (code) => reject(new Error(`child process exited with ${code} before it was ready`)));
  });
}

/** Forks one app instance; `execArgv` as for `fork` (e.g. `--expose-gc` for heap figures). */
export async function spawnApp(file: string, env: Record<string, string>, execArgv?: string[]): Promise<AppProcess> {
  const child = fork(file, [], { env: { ...process.env, ...env }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], ...(execArgv && { execArgv }) });
  const { origin } = await ready<{ origin: string }>(child);
  return { child, origin };
}

export interface EmulatorProcess {
  child: ChildProcess;
  url: string;
  apiKey: string;
  clientId: string;
}

/** Forks the emulator on a clock that {@link ask} `{ type: 'clock', offsetMs }` moves. */
export async function spawnEmulator(): Promise<EmulatorProcess> {
  const file = fileURLToPath(new URL('./fixtures/emulator-worker.js', import.meta.url));
  const child = fork(file, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'], execArgv: [] });
  const { url, apiKey, clientId } = await ready<{ url: string; apiKey: string; clientId: string }>(child);
  return { child, url, apiKey, clientId };
}

let lastId = 0;

/** Sends `message` with a fresh `id` and resolves with the child's answer carrying that id. */
export function ask<T>(child: ChildProcess, message: Record<string, unknown>): Promise<T> {
  const id = ++lastId;
  return new Promise((resolve, reject) => {
    const onMessage = (m: { id?: number }) => {
      if (m.id !== id) return;
      child.off('message', onMessage);
      child.off('exit', onExit);
      resolve(m as T);
    };
    const onExit = (code: number | null) => reject(new Error(`child process exited with ${code} before it answered`));
    child.on('message', onMessage);
    child.once('exit', onExit);
    child.send({ ...message, id });
  });
}

export function alive(child: ChildProcess): boolean {
  return child.exitCode === null && child.signalCode === null;
}

/** SIGKILL, resolved once the process has exited. */
export function kill(child: ChildProcess): Promise<void> {
  if (!alive(child)) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGKILL');
  return exited;
}
