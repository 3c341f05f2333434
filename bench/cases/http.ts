/**
 * Case 4: requests per second and latency of a Hono server that authenticates every request,
 * ours against @workos-inc/node, each server in its own process and autocannon in a third.
 * Rounds alternate between the two servers; figures are medians over rounds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { median } from '../lib/measure.js';
import type { Row } from '../lib/report.js';

const SECTION = 'HTTP: Hono + @hono/node-server, GET /api/me authenticated (autocannon in another process)';

export interface HttpScenario {
  name: string;
  provider: { baseUrl: string; issuer?: string; clientId: string; apiKey: string };
  password: string;
  cookies: string[];
  /**
   * Whether DESIGN.md's HTTP target (≥ 10× the requests/s) applies: it does to a session's
   * traffic (one browser, one cookie); a new cookie on every request is shown for its bound.
   */
  targeted: boolean;
}

export interface HttpOptions {
  /** Directory of the bundled `http/server.js` and `http/load.js`. */
  bundleDir: URL;
  rounds: number;
  durationSec: number;
  warmupSec: number;
  connections: number;
}

interface LoadResult {
  requestsPerSec: number;
  latencyP50: number;
  latencyP99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

async function startServer(mode: 'ours' | 'workos' | 'none', scenario: HttpScenario, bundleDir: URL): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, [new URL('http/server.js', bundleDir).pathname], {
    env: {
      ...process.env,
      BENCH_MODE: mode,
      BENCH_BASE_URL: scenario.provider.baseUrl,
      BENCH_ISSUER: scenario.provider.issuer ?? '',
      BENCH_CLIENT_ID: scenario.provider.clientId,
      BENCH_API_KEY: scenario.provider.apiKey,
      BENCH_PASSWORD: scenario.password,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! });
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`${mode} server exited with ${code}`)));
    lines.on('line', (line) => {
      const match = /^listening (\d+)$/.exec(line);
      if (match) resolve(Number(match[1]));
    });
  });
  return { port, child };
}

async function runLoad(settingsFile: string, bundleDir: URL): Promise<LoadResult> {
  const child = spawn(process.execPath, [new URL('http/load.js', bundleDir).pathname, settingsFile], { stdio: ['ignore', 'pipe', 'inherit'] });
  let output = '';
  child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`load generator exited with ${code}`);
  return JSON.parse(output.trim().split('\n').at(-1)!) as LoadResult;
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

async function runScenario(scenario: HttpScenario, options: HttpOptions, dir: string): Promise<Row> {
  const modes = ['ours', 'workos', 'none'] as const;
  const servers = await Promise.all(modes.map((mode) => startServer(mode, scenario, options.bundleDir)));
  const results: Record<(typeof modes)[number], LoadResult[]> = { ours: [], workos: [], none: [] };
  try {
    for (let round = 0; round < options.rounds; round++) {
      for (const [index, mode] of modes.entries()) {
        const file = join(dir, `${mode}.json`);
        await writeFile(file, JSON.stringify({
          url: `http://127.0.0.1:${servers[index]!.port}/api/me`, cookieName: 'wos-session', cookies: scenario.cookies,
          connections: options.connections, durationSec: options.durationSec, warmupSec: options.warmupSec,
        }));
        const result = await runLoad(file, options.bundleDir);
        if (result.non2xx > 0 || result.errors > 0) throw new Error(`${mode}: ${result.non2xx} non-2xx answers, ${result.errors} errors`);
        results[mode].push(result);
      }
    }
  } finally {
    await Promise.all(servers.map((server) => stop(server.child)));
  }
  const summary = (list: LoadResult[]) => ({
    rps: median(list.map((entry) => entry.requestsPerSec)),
    p50: median(list.map((entry) => entry.latencyP50)),
    p99: median(list.map((entry) => entry.latencyP99)),
  });
  const ours = summary(results.ours);
  const peer = summary(results.workos);
  const ceiling = summary(results.none);
  return {
    section: SECTION, operation: scenario.name, unit: 'req/s', ours: ours.rps, peerName: '@workos-inc/node', peer: peer.rps,
    ratio: ours.rps / peer.rps,
    ...(scenario.targeted ? { target: { text: '≥ 10× the requests/s', met: ours.rps >= 10 * peer.rps } } : {}),
    notes: `p50/p99 ms: ours ${ours.p50}/${ours.p99}, peer ${peer.p50}/${peer.p99}; same server without authentication: ${Math.round(ceiling.rps).toLocaleString('en-US')} req/s; ${options.connections} connections, ${options.rounds}×${options.durationSec} s`,
  };
}

export async function httpCases(scenarios: readonly HttpScenario[], options: HttpOptions): Promise<Row[]> {
  const dir = await mkdtemp(join(tmpdir(), 'sealed-session-bench-'));
  try {
    const rows: Row[] = [];
    for (const scenario of scenarios) rows.push(await runScenario(scenario, options, dir));
    return rows;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
