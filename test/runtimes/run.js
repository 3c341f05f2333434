#!/usr/bin/env node
/**
 * The runtime matrix (`npm run test:runtimes`): the package root on Node (node:crypto and
 * WebCrypto), Bun, Deno and Cloudflare's workerd, each from its npm package, against the WorkOS
 * emulator running here in Node on loopback. Prints one JSON line per suite and runtime, then a
 * table; exits 1 if anything failed, a runtime included.
 *
 * Flags: --only=<row id,…> (node,node-webcrypto,bun,deno,workerd,workerd-compat), --json (lines only).
 */
import { execFile, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { startEmulator } from '../../demo/emulator.js';
import { buildAll } from './build.js';
import { cloudflareWorkerFlow } from './examples.js';
import { freePort, startWorkerd } from './workerd.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const cache = join(root, 'node_modules', '.cache', 'sealed-session-runtimes');
const args = process.argv.slice(2);
const only = args.find((arg) => arg.startsWith('--only='))?.slice('--only='.length).split(',');
const RUN_TIMEOUT_MS = 60_000;

const SUITES = ['vectors', 'emulator', 'handler'];
const EXAMPLES = ['cloudflare-worker'];

/** `1.4.5` from `bun --version`, `deno 2.9.6 (stable, …)` or `workerd 2026-11-17`. */
async function versionOf(bin) {
  const { stdout } = await promisify(execFile)(bin, ['--version']);
  return stdout.split('\n')[0].replace(/\(.*\)/, '').trim().split(/\s+/).pop();
}

/**
 * The first candidate under node_modules that runs. The platform package comes first: it holds
 * the real binary in its tarball, while the wrapper package's `bin` may be a placeholder until
 * its postinstall script has run (npm may skip install scripts; when it runs them, the binary
 * is moved into the wrapper).
 * @returns {Promise<{ bin?: string, version: string }>}
 */
async function findRuntime(packageName, ...candidates) {
  const tried = [];
  for (const candidate of candidates) {
    const path = join(root, 'node_modules', candidate);
    if (!existsSync(path)) continue;
    try {
      return { bin: path, version: await versionOf(path) };
    } catch (error) {
      tried.push(`${candidate}: ${error.message.split('\n')[0]}`);
    }
  }
  return { version: 'not installed', missing: `no working binary from npm package ${packageName}${tried.length ? ` (${tried.join('; ')})` : ''}` };
}

// ---------------------------------------------------------------------------------------------
// Context: a fresh signed-in session per runtime (a refresh token is single-use), and vectors.

const readJson = (relative) => JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'vectors', relative), 'utf8'));

/** The unsealing error each of the Fernet spec's invalid tokens must give (shared with test/unit/seal/seal.vectors.test.ts). */
const FERNET_INVALID_CODES = JSON.parse(readFileSync(join(root, 'test', 'fixtures', 'fernet-invalid-codes.json'), 'utf8'));
const IRON_IDS = ['hapi-unseal-aes256cbc', 'statehood-iron-object', 'statehood-iron-string-good'];

async function vectors(lib, password) {
  const fernetKey = `${randomBytes(32).toString('base64url')}=`;
  const data = { user: { id: 'user_01', email: 'alice@acme.test' }, organizationId: null, n: [1, 2, 3] };
  return {
    iron: readJson('iron/valid.json').filter((v) => IRON_IDS.includes(v.id)),
    fernet: {
      verify: readJson('fernet/verify.json'),
      invalid: readJson('fernet/invalid.json').map((v) => ({ ...v, code: FERNET_INVALID_CODES[v.desc] })),
      generate: readJson('fernet/generate.json'),
    },
    sealedOnNode: [
      { format: 'iron', password, sealed: await lib.sealData(data, { password }), expected: data },
      { format: 'fernet', password: fernetKey, sealed: await lib.sealData(data, { password: fernetKey, format: 'fernet' }), expected: data },
    ],
  };
}

async function signedInContext(lib, emulator, password, sealVectors) {
  const sessions = new lib.SessionManager({ clientId: emulator.clientId, apiKey: emulator.apiKey, cookiePassword: password, baseUrl: emulator.url });
  const email = emulator.users.alice.email;
  const { url, codeVerifier } = await sessions.getAuthorizationUrlWithPKCE({ redirectUri: 'http://localhost:8787/auth/callback', loginHint: email });
  const redirect = await fetch(url, { redirect: 'manual' });
  const code = new URL(redirect.headers.get('location') ?? '').searchParams.get('code');
  if (!code) throw new Error(`the emulator returned no code (HTTP ${redirect.status})`);
  const auth = await sessions.authenticateWithCode({ code, codeVerifier });
  return {
    emulatorUrl: emulator.url,
    clientId: emulator.clientId,
    apiKey: emulator.apiKey,
    password,
    cookie: await sessions.sealSessionFromAuthResponse(auth),
    email,
    organizationId: emulator.organizations.acme.id,
    vectors: sealVectors,
  };
}

// ---------------------------------------------------------------------------------------------
// Runners: each returns { backend, results: SuiteResult[] } or throws.

function runCli(command, argv, env, cwd) {
  return new Promise((resolve, reject) => {
    const child = spawn(command, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), RUN_TIMEOUT_MS);
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.once('error', reject);
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      const lines = stdout.split('\n').flatMap((line) => {
        try {
          return line.startsWith('{') ? [JSON.parse(line)] : [];
        } catch {
          return [];
        }
      });
      const results = lines.filter((line) => SUITES.includes(line.suite));
      const backend = lines.find((line) => line.suite === 'runtime')?.backend;
      if (!lines.some((line) => line.suite === 'done') || code !== 0) {
        return reject(new Error(`exited with ${signal ?? code}${signal === 'SIGKILL' ? ' (timed out)' : ''}: ${stderr.trim().slice(-1500) || stdout.trim().slice(-1500)}`));
      }
      resolve({ backend, results });
    });
  });
}

async function runWorkerd(binaryPath, script, context, compatibilityFlags, name) {
  const server = await startWorkerd({ binary: binaryPath, dir: cache, name, script, bindings: { CONTEXT: context }, compatibilityFlags });
  try {
    const response = await fetch(`${server.url}/run`, { method: 'POST', signal: AbortSignal.timeout(RUN_TIMEOUT_MS) });
    const text = await response.text();
    if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 500)} ${server.output.join('').slice(-1500)}`);
    return JSON.parse(text);
  } finally {
    await server.close();
  }
}

async function runExample(binaryPath, script, name, compatibilityFlags, context, drive) {
  // The app's own URL is a binding (it builds the callback URL), so the port is chosen first.
  const port = await freePort();
  const bindings = {
    APP_URL: `http://127.0.0.1:${port}`,
    WORKOS_CLIENT_ID: context.clientId,
    WORKOS_API_KEY: context.apiKey,
    WORKOS_COOKIE_PASSWORD: context.password,
    WORKOS_BASE_URL: context.emulatorUrl,
  };
  const durableObjects = { REFRESH_STORE: 'RefreshStoreObject' };
  const server = await startWorkerd({ binary: binaryPath, dir: cache, name, script, bindings, compatibilityFlags, durableObjects, port });
  try {
    const result = await drive(server.url, context);
    if (!result.ok) result.failures.push(`workerd log: ${server.output.join('').slice(-800) || '(empty)'}`);
    return result;
  } finally {
    await server.close();
  }
}

// ---------------------------------------------------------------------------------------------

async function rowsFor(bundles) {
  const node = { bin: process.execPath, version: process.version };
  const bun = await findRuntime('bun', '@oven/bun-linux-x64/bin/bun', '@oven/bun-linux-x64-baseline/bin/bun', 'bun/bin/bun.exe');
  const deno = await findRuntime('deno', '@deno/linux-x64-glibc/deno', 'deno/deno');
  const workerd = await findRuntime('workerd', '@cloudflare/workerd-linux-64/bin/workerd', 'workerd/bin/workerd');
  const cli = (command, argv, env = {}) => (context) => runCli(command, argv, { ...env, SEALED_SESSION_CONFORMANCE: JSON.stringify(context) }, cache);
  const worker = (flags, name) => (context) => runWorkerd(workerd.bin, bundles.worker, context, flags, name);
  const examples = (flags, name) => [
    (context) => runExample(workerd.bin, bundles.cloudflare, `${name}-cloudflare-example`, flags, context, cloudflareWorkerFlow),
  ];
  return [
    { id: 'node', label: 'Node', runtime: node, run: cli(node.bin, [bundles.cli]) },
    { id: 'node-webcrypto', label: 'Node, WebCrypto forced', runtime: node, run: cli(node.bin, [bundles.cli], { SEALED_SESSION_WEBCRYPTO: '1' }) },
    { id: 'bun', label: 'Bun', runtime: bun, run: cli(bun.bin, ['run', bundles.cli]) },
    {
      id: 'deno',
      label: 'Deno',
      runtime: deno,
      run: cli(deno.bin, ['run', '--no-config', '--no-lock', '--no-npm', '--allow-env', '--allow-net=127.0.0.1,localhost', bundles.cli], { DENO_DIR: join(cache, 'deno'), NO_COLOR: '1' }),
    },
    { id: 'workerd', label: 'workerd', runtime: workerd, run: worker([], 'conformance'), examples: examples([], 'plain') },
    {
      id: 'workerd-compat',
      label: 'workerd, nodejs_compat',
      runtime: workerd,
      run: worker(['nodejs_compat'], 'conformance-compat'),
      examples: examples(['nodejs_compat'], 'compat'),
    },
  ].filter((row) => !only || only.includes(row.id));
}

async function runRow(row, lib, emulator, password, sealVectors) {
  const { version, missing } = row.runtime;
  if (missing) return { version, error: missing, results: [] };
  const results = [];
  let backend;
  let error;
  try {
    const out = await row.run(await signedInContext(lib, emulator, password, sealVectors));
    backend = out.backend;
    results.push(...out.results);
  } catch (failure) {
    error = failure.message;
  }
  for (const example of row.examples ?? []) {
    try {
      results.push(await example(await signedInContext(lib, emulator, password, sealVectors)));
    } catch (failure) {
      error = `${error ? `${error}; ` : ''}${failure.message}`;
    }
  }
  return { version, backend, error, results };
}

const mark = (result) => (result === undefined ? '—' : result.ok ? '✓' : '✗');

function table(rows, outcomes) {
  const columns = [...SUITES, ...EXAMPLES];
  const head = ['runtime', 'version', 'crypto', ...columns];
  const lines = rows.map((row, index) => {
    const outcome = outcomes[index];
    const bySuite = Object.fromEntries(outcome.results.map((result) => [result.suite, result]));
    const cells = columns.map((suite) => {
      const ran = bySuite[suite];
      if (ran) return mark(ran);
      const expected = SUITES.includes(suite) || row.examples;
      return expected ? '✗' : '—';
    });
    return [row.label, outcome.version, outcome.backend ?? '?', ...cells];
  });
  const widths = head.map((_, column) => Math.max(...[head, ...lines].map((line) => [...line[column]].length)));
  const format = (line) => `| ${line.map((cell, column) => cell + ' '.repeat(widths[column] - [...cell].length)).join(' | ')} |`;
  return [format(head), `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`, ...lines.map(format)].join('\n');
}

async function main() {
  const started = Date.now();
  const { dist, portability, bundles } = await buildAll(root, cache);
  const lib = await import(pathToFileURL(join(dist, 'index.js')).href);
  console.log(JSON.stringify({ runtime: 'esbuild', suite: 'worker-bundle', ok: portability.ok, problems: portability.problems, entries: portability.entries }));

  const emulator = await startEmulator();
  const password = randomBytes(32).toString('base64url');
  const sealVectors = await vectors(lib, password);
  const rows = await rowsFor(bundles);
  const outcomes = [];
  try {
    for (const row of rows) {
      const outcome = await runRow(row, lib, emulator, password, sealVectors);
      outcomes.push(outcome);
      for (const result of outcome.results) console.log(JSON.stringify({ runtime: row.id, backend: outcome.backend, ...result }));
      if (outcome.error) console.log(JSON.stringify({ runtime: row.id, error: outcome.error }));
    }
  } finally {
    await emulator.close();
  }

  const failed = rows.filter((row, index) => {
    const outcome = outcomes[index];
    const expected = SUITES.length + (row.examples ? EXAMPLES.length : 0);
    return outcome.error || outcome.results.length !== expected || outcome.results.some((result) => !result.ok);
  });
  if (!args.includes('--json')) {
    console.log('');
    const entries = portability.entries.map((entry) => entry.subpath).join(', ');
    console.log(`Worker bundles of ${entries} (esbuild, conditions workerd/worker/browser): ${portability.ok ? '✓ no Node built-in reachable' : `✗ ${portability.problems.join('; ')}`}`);
    console.log('');
    console.log(table(rows, outcomes));
    for (const [index, row] of rows.entries()) {
      const outcome = outcomes[index];
      if (outcome.error) console.log(`\n${row.label}: ${outcome.error}`);
      for (const result of outcome.results.filter((result) => !result.ok)) console.log(`\n${row.label} / ${result.suite}:\n  - ${result.failures.join('\n  - ')}`);
    }
    console.log(`\nin ${((Date.now() - started) / 1000).toFixed(1)} s`);
    console.log(`runtimes: ${rows.length - failed.length} passed, ${failed.length} failed`);
  }
  process.exit(failed.length > 0 || !portability.ok ? 1 : 0);
}

await main();
