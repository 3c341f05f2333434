/**
 * `npm run bench`: every case of bench/README.md, ours against the official SDK, the peers and
 * the floor, then a table on stdout and bench/results.{json,md}.
 *
 * Environment: BENCH_QUICK=1 for a short smoke run (figures not worth keeping),
 * BENCH_ONLY=authenticate,seal,growth,http to run some cases only.
 */
import { SessionManager, unsealData, type AuthenticationResponse } from '../src/index.js';
import { authenticateCases } from './cases/authenticate.js';
import { growthCases } from './cases/growth.js';
import { httpCases, type HttpScenario } from './cases/http.js';
import { sealingCases } from './cases/sealing.js';
import type { MeasureOptions } from './lib/measure.js';
import { PASSWORD, startProvider } from './lib/provider.js';
import { consoleTable, machine, writeResults, type Row } from './lib/report.js';
import { startKeyServer, workosClaims } from './lib/signer.js';

const quick = process.env.BENCH_QUICK === '1';
const only = new Set((process.env.BENCH_ONLY ?? 'authenticate,seal,growth,http').split(','));
const micro: MeasureOptions = quick ? { timeMs: 1_000, warmupMs: 300 } : { timeMs: 8_000, warmupMs: 1_500, minBatches: 15 };
const http = quick ? { rounds: 1, durationSec: 2, warmupSec: 1, connections: 20 } : { rounds: 3, durationSec: 5, warmupSec: 2, connections: 20 };
const HTTP_DISTINCT_COOKIES = 1_500;

const METHOD = [
  'Method: cases 1–2 use the WorkOS emulator (`workos/emulate`, JWKS on loopback) and 100 distinct access tokens',
  'from chained refreshes; "never seen" batches get a new SessionManager (empty verified-token cache, JWKS',
  'fetched before timing) and cookies sealed just before the batch, the same bytes for every library. The floor',
  'is bench/lib/floor.ts: a node:crypto Iron unseal plus `crypto.verify` with a key imported once, no claim checks.',
  'Growth and the never-seen HTTP case sign WorkOS-shaped tokens with our own RSA-2048 keys behind a loopback',
  'JWKS. Timings are wall-clock medians of batch means with tasks interleaved batch by batch; results.json also',
  'has CPU-time medians; the order of tasks rotates every round. The machine is shared, so expect ±15 %.',
  'The HTTP row with a different cookie on every request has no target: every request is a full miss (one unseal',
  'and one RSA verification, about the floor), so its requests/s are bounded by that work plus the framework\'s',
  'own cost per request, not by anything a cache could save. It shows the worst case; a browser sends one cookie.',
].join('\n');

async function httpScenarios(provider: Awaited<ReturnType<typeof startProvider>>, response: AuthenticationResponse) {
  const sessions = new SessionManager(provider.managerOptions);
  const server = await startKeyServer(1);
  const signed: AuthenticationResponse[] = Array.from({ length: HTTP_DISTINCT_COOKIES }, (_, serial) => ({
    user: response.user,
    refreshToken: `refresh_bench_${serial}`,
    accessToken: server.sign(workosClaims({ issuer: server.baseUrl, clientId: server.clientId, userId: response.user.id, serial, permissionCount: 4 })),
  }));
  const ownOptions = { clientId: server.clientId, apiKey: 'sk_bench', cookiePassword: PASSWORD, baseUrl: server.baseUrl, issuer: server.baseUrl };
  const own = new SessionManager(ownOptions);
  const scenarios: HttpScenario[] = [
    {
      name: 'same cookie on every request (emulator token)',
      provider: { baseUrl: provider.url, clientId: provider.clientId, apiKey: provider.apiKey },
      password: PASSWORD,
      cookies: [await sessions.sealSessionFromAuthResponse(response)],
      targeted: true,
    },
    {
      name: `a different cookie on every request (${HTTP_DISTINCT_COOKIES.toLocaleString('en-US')} tokens, more than the verified-token cache holds)`,
      provider: { baseUrl: server.baseUrl, issuer: server.baseUrl, clientId: server.clientId, apiKey: 'sk_bench' },
      password: PASSWORD,
      cookies: await Promise.all(signed.map((entry) => own.sealSessionFromAuthResponse(entry))),
      targeted: false,
    },
  ];
  return { scenarios, close: () => server.close() };
}

async function main(): Promise<void> {
  const host = machine();
  console.log(`sealed-session benchmarks on ${host.cpu} (${host.cores} cores), Node ${host.node}${quick ? ' (quick run)' : ''}`);
  const provider = await startProvider(100);
  const rows: Row[] = [];
  const step = async (name: string, run: () => Promise<Row[]>) => {
    if (!only.has(name)) return;
    const started = performance.now();
    const result = await run();
    rows.push(...result);
    console.log(`\n${consoleTable(result)}\n(${name}: ${((performance.now() - started) / 1000).toFixed(0)} s)`);
  };
  try {
    const first = provider.responses[0]!;
    await step('authenticate', () => authenticateCases(provider, micro));
    await step('seal', async () => {
      const cookie = await new SessionManager(provider.managerOptions).sealSessionFromAuthResponse(first);
      return sealingCases(await unsealData<Record<string, unknown>>(cookie, { password: PASSWORD }), micro);
    });
    await step('growth', () => growthCases(first.user, micro));
    await step('http', async () => {
      const { scenarios, close } = await httpScenarios(provider, first);
      try {
        return await httpCases(scenarios, { ...http, bundleDir: new URL('./', import.meta.url) });
      } finally {
        await close();
      }
    });
  } finally {
    await provider.close();
  }
  if (quick || only.size < 4) {
    console.log('\nPartial or quick run: bench/results.* left as they were.');
    return;
  }
  await writeResults(rows, host, METHOD, new URL('bench/', `file://${process.cwd()}/`));
  console.log('\nWrote bench/results.json and bench/results.md');
}

await main();
