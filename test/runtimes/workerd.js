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

/** `durableObjects` maps a binding name to the class the Worker exports for it; objects are kept in memory. */
function durableObjectLines(name, durableObjects) {
  const entries = Object.entries(durableObjects);
  if (entries.length === 0) return { bindings: [], fields: '' };
  const classes = entries.map(([, className]) => `(className = ${capnpText(className)}, uniqueKey = ${capnpText(`${name}-${className}`)})`);
  return {
    bindings: entries.map(([binding, className]) => `(name = ${capnpText(binding)}, durableObjectNamespace = ${capnpText(className)})`),
    fields: `\n  durableObjectNamespaces = [${classes.join(', ')}],\n  durableObjectStorage = (inMemory = void),`,
  };
}

function configText({ name, script, port, bindings, compatibilityFlags, durableObjects }) {
  const objects = durableObjectLines(name, durableObjects);
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
  bindings = [${[...bindingLines(name, bindings), ...objects.bindings].join(', ')}],
  globalOutbound = "loopback",${objects.fields}
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
 * Runs workerd on `config` (capnp text, written to `<dir>/<name>.capnp`, its embeds relative to
 * `dir`) until `close()`. Ready once `readyUrl` gets any answer, so that request must be harmless.
 * @param {{ binary: string, dir: string, name: string, config: string, readyUrl: string }} options
 */
export async function serveConfig({ binary, dir, name, config, readyUrl }) {
  const path = join(dir, `${name}.capnp`);
  await writeFile(path, config);
  const child = spawn(binary, ['serve', path], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = [];
  child.stdout.on('data', (chunk) => output.push(String(chunk)));
  child.stderr.on('data', (chunk) => output.push(String(chunk)));
  const close = () =>
    new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', () => resolve());
      child.kill('SIGTERM');
    });
  try {
    await waitForPort(readyUrl, child, output, 15_000);
  } catch (error) {
    await close();
    throw error;
  }
  return { output, close };
}

/**
 * Serves `script` (a bundled ES module in `dir`) on a free loopback port until `close()`. Ready
 * once `HEAD /__ready` gets any answer, so that request must be harmless for the Worker.
 * @param {{ binary: string, dir: string, name: string, script: string, bindings: Record<string, unknown>,
 *   compatibilityFlags?: string[], durableObjects?: Record<string, string>, port?: number }} options
 */
export async function startWorkerd({ binary, dir, name, script, bindings, compatibilityFlags = [], durableObjects = {}, port: wanted }) {
  const port = wanted ?? (await freePort());
  for (const [key, value] of Object.entries(bindings)) {
    if (typeof value !== 'string') await writeFile(join(dir, jsonFile(name, key)), JSON.stringify(value));
  }
  const url = `http://127.0.0.1:${port}`;
  const config = configText({ name, script, port, bindings, compatibilityFlags, durableObjects });
  const { output, close } = await serveConfig({ binary, dir, name, config, readyUrl: `${url}/__ready` });
  return { url, output, close };
}
