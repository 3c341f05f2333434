/**
 * Iron unseal inside workerd with Iron's key derivation done by the platform (`deriveBits`)
 * and by the JavaScript PBKDF2-HMAC-SHA1, and the share of a whole unseal the latter saves.
 * CONTRIBUTING.md asks a hand-written primitive to save at least a quarter of a whole
 * operation on a supported runtime; this is the measurement for the WebCrypto backend.
 *
 * Run from the repository root with: npx vite-node bench/workerd/pbkdf2.ts (BENCH_QUICK=1 for
 * a smoke run). Each request opens N distinct seals inside the Worker; the time of an empty
 * request is subtracted, and requests of both kinds take turns (bench/lib/measure.ts).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { startWorkerd } from '../../test/runtimes/workerd.js';
import { sealData } from '../../src/index.js';
import { measure, type Task } from '../lib/measure.js';
import { PASSWORD } from '../lib/provider.js';

const quick = process.env.BENCH_QUICK === '1';
const PER_REQUEST = 400;
const SEALS = 1_000;
const root = fileURLToPath(new URL('../../', import.meta.url));
const binary = join(root, 'node_modules', '@cloudflare', 'workerd-linux-64', 'bin', 'workerd');

/** A session cookie's payload: a WorkOS-sized access token, a refresh token and a user. */
function payload(serial: number): Record<string, unknown> {
  return {
    accessToken: `eyJhbGciOiJSUzI1NiIsImtpZCI6InNzb19vaWRjX2tleV9wYWlyXzAxIn0.${'x'.repeat(620)}${serial}.${'s'.repeat(342)}`,
    refreshToken: `refresh_${serial}_vDHC5zV9wq2m8XUpaVhJ0yTnQ2lyA1nF`,
    user: { object: 'user', id: 'user_01HQ6Z3Y2M7N8P9Q0R1S2T3U4V', email: 'ada@example.com', firstName: 'Ada', lastName: 'Lovelace', emailVerified: true },
    organizationId: 'org_01HQ6Z3Y2M7N8P9Q0R1S2T3U4V',
  };
}

async function main(): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'sealed-session-bench-'));
  const script = join(dir, 'unseal-worker.js');
  await esbuild.build({
    entryPoints: [fileURLToPath(new URL('./unseal-worker.ts', import.meta.url))],
    outfile: script, bundle: true, format: 'esm', platform: 'neutral', target: 'es2022', logLevel: 'warning',
  });
  const seals = await Promise.all(Array.from({ length: SEALS }, (_, serial) => sealData(payload(serial), { password: PASSWORD })));
  const server = await startWorkerd({ binary, dir, name: 'pbkdf2', script, bindings: { PASSWORD, SEALS: seals } });
  try {
    const request = (query: string) => async () => {
      const response = await fetch(`${server.url}/?${query}`);
      if (!response.ok) throw new Error(`${query}: HTTP ${response.status} ${await response.text()}`);
      await response.text();
    };
    const task = (name: string, query: string): Task => ({ name, batch: 1, prepare: () => request(query) });
    const [empty, platform, javascript] = await measure(
      [task('empty request', 'derive=platform&n=0'), task('platform', `derive=platform&n=${PER_REQUEST}`), task('javascript', `derive=javascript&n=${PER_REQUEST}`)],
      quick ? { timeMs: 2_000, warmupMs: 500 } : { timeMs: 20_000, warmupMs: 3_000, minBatches: 15 },
    );
    const perUnseal = (us: number) => (us - empty!.medianUs) / PER_REQUEST;
    const withPlatform = perUnseal(platform!.medianUs);
    const withJavascript = perUnseal(javascript!.medianUs);
    console.log(`workerd ${server.url}: Iron unseal of a ${seals[0]!.length}-char seal, median of ${platform!.batches} requests of ${PER_REQUEST}`);
    console.log(`  keys by deriveBits (platform):  ${withPlatform.toFixed(1)} µs`);
    console.log(`  keys by JavaScript PBKDF2:      ${withJavascript.toFixed(1)} µs`);
    console.log(`  ratio platform / JavaScript:    ${(withPlatform / withJavascript).toFixed(2)}×`);
    console.log(`  share of a whole unseal saved:  ${(100 * (1 - withJavascript / withPlatform)).toFixed(0)} % (the rule asks for ≥ 25 %)`);
  } finally {
    await server.close();
    await rm(dir, { recursive: true, force: true });
  }
}

await main();
