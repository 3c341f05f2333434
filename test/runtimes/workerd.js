/**
 * Starts workerd (from the `workerd` npm package) on one bundled module Worker.
 *
 * workerd's default outbound network reaches public addresses only; the emulator listens on
 * loopback, so the Worker's `globalOutbound` is a network service allowing "local" (loopback)
 * addresses and nothing else.
 */
import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { basename, join } from 'node:path';

/** A port that was free a moment ago (workerd takes a fixed address in its config). */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

const capnpText = (text) => JSON.stringify(text);

const jsonFile = (worker, binding) => `${worker}-${binding}.json`;

/** `bindings` values: strings become `text` bindings, anything else a `json` binding read from a file. */
function bindingLines(worker, bindings) {
  return Object.entries(bindings).map(([name, value]) =>
    typeof value === 'string'
      ? `(name = ${capnpText(name)}, text = ${capnpText(value)})`
      : `(name = ${capnpText(name)}, json = embed ${capnpText(jsonFile(worker, name))})`,
  );
}

function configText({ name, script, port, bindings, compatibilityFlags }) {
  return `using Workerd = import "/workerd/workerd.capnp";

const config :Workerd.Config = (
  services = [
    (name = "main", worker = .worker),
    (name = "loopback", network = (allow = ["local"])),
  ],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "main")],
);

const worker :Workerd.Worker = (
  modules = [(name = "worker", esModule = embed ${capnpText(basename(script))})],
  compatibilityDate = "2025-09-01",
  compatibilityFlags = [${compatibilityFlags.map(capnpText).join(', ')}],
  bindings = [${bindingLines(name, bindings).join(', ')}],
  globalOutbound = "loopback",
);
`;
}

async function waitForPort(url, child, output, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`workerd exited with ${child.exitCode}: ${output.join('').slice(-2000)}`);
    try {
      // Any answer means the socket is up; the probe's own result does not matter.
      await fetch(url, { method: 'HEAD', redirect: 'manual', signal: AbortSignal.timeout(1000) }).then((response) => response.body?.cancel());
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`workerd did not listen within ${timeoutMs} ms: ${output.join('').slice(-2000)}`);
}

/**
 * Serves `script` (a bundled ES module in `dir`) on a free loopback port until `close()`. Ready
 * once `HEAD /__ready` gets any answer, so that request must be harmless for the Worker.
 * @param {{ binary: string, dir: string, name: string, script: string, bindings: Record<string, unknown>,
 *   compatibilityFlags?: string[], port?: number }} options
 */
export async function startWorkerd({ binary, dir, name, script, bindings, compatibilityFlags = [], port: wanted }) {
  const port = wanted ?? (await freePort());
  const config = join(dir, `${name}.capnp`);
  for (const [key, value] of Object.entries(bindings)) {
    if (typeof value !== 'string') await writeFile(join(dir, jsonFile(name, key)), JSON.stringify(value));
  }
  await writeFile(config, configText({ name, script, port, bindings, compatibilityFlags }));
  const child = spawn(binary, ['serve', config], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  child.stdout.on('data', (chunk) => output.push(String(chunk)));
  child.stderr.on('data', (chunk) => output.push(String(chunk)));
  const url = `http://127.0.0.1:${port}`;
  const close = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  try {
    await waitForPort(`${url}/__ready`, child, output, 15_000);
  } catch (error) {
    await close();
    throw error;
  }
  return { url, output, close };
}
