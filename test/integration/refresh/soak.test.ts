/**
 * Faults and load, nothing lost (issue #12). Many users with several tabs each, spread over two
 * app processes sharing one redis-server, behind a proxy in front of the emulator that injects
 * 5xx, 429 with Retry-After, delays and connection resets into refresh grants (and 5xx, resets
 * and delays into JWKS fetches); the shared clock is stepped so that every session's access
 * token comes due or expires once per cycle, and every instance's key set goes stale.
 *
 * The one fault no client can survive, a response lost after the provider rotated the token,
 * is measured in a phase of its own: it must cost at most the session it hit.
 *
 * `npm test` runs the short form; `npm run test:soak` the long one, which prints the figures.
 * Both write them to test-results/soak-<form>.json.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { startProxy } from '../../support/proxy.js';
import { type RunningRedis, startRedis } from '../../support/redis.js';
import { me, type Provider, referenceManager, sealedCookieFor } from './helpers.js';
import { alive, type AppProcess, ask, bundleAppWorker, type EmulatorProcess, kill, spawnApp, spawnEmulator } from './processes.js';
import {
  faultsFor,
  type PhaseFigures,
  runPhase,
  seeded,
  SharedClock,
  type SoakContext,
  soakProfile,
  type SoakUser,
  summaryTable,
} from './soak.js';

const profile = soakProfile();
const INSTANCES = 2;
const LOCK_TTL_MS = 10_000; // the coordinator's default, above the client's 8 s timeout
const phaseTimeout = (cycles: number) => cycles * profile.cycleDeadlineMs + 30_000;

let emulator: EmulatorProcess;
let redis: RunningRedis;
let proxy: Awaited<ReturnType<typeof startProxy>>;
let worker: Awaited<ReturnType<typeof bundleAppWorker>> | undefined;
let apps: AppProcess[] = [];
let clock: SharedClock;
let context: SoakContext;
let users: SoakUser[];
const phases: PhaseFigures[] = [];
/** Heap in use after GC, per app instance, once the first cycle has warmed the caches. */
const heapBefore = new Map<AppProcess, number>();
const heap: Array<{ instance: string; before: number; after: number }> = [];

async function heapOf(app: AppProcess): Promise<number> {
  return (await ask<{ bytes: number }>(app.child, { type: 'heap' })).bytes;
}

async function createUser(email: string): Promise<void> {
  const response = await fetch(`${emulator.url}/user_management/users`, {
    method: 'POST',
    headers: { authorization: `Bearer ${emulator.apiKey}`, 'content-type': 'application/json' },
    body: JSON.stringify({ email, first_name: 'Soak', email_verified: true }),
  });
  if (!response.ok) throw new Error(`creating ${email}: HTTP ${response.status}`);
}

beforeAll(async () => {
  const bundled = bundleAppWorker();
  [emulator, redis] = await Promise.all([spawnEmulator(), startRedis()]);
  // The proxy logs on the clock the apps and the emulator share.
  proxy = await startProxy(emulator.url, { now: () => clock.now() });
  const provider: Provider = { baseUrl: proxy.url, issuer: emulator.url, clientId: emulator.clientId, apiKey: emulator.apiKey };
  const env = {
    PROVIDER_URL: provider.baseUrl, ISSUER: provider.issuer, CLIENT_ID: provider.clientId, API_KEY: provider.apiKey,
    REDIS_URL: redis.url, OFFSET_MS: '0', LOCK_TTL_MS: String(LOCK_TTL_MS),
  };
  worker = await bundled;
  apps = await Promise.all(Array.from({ length: INSTANCES }, () => spawnApp(worker!.file, env, ['--expose-gc'])));
  clock = new SharedClock([emulator.child, ...apps.map((app) => app.child)]);
  const reference = referenceManager(provider, clock.now);
  context = {
    profile,
    random: seeded(profile.seed),
    origins: apps.map((app) => app.origin),
    clock,
    proxy,
    signIn: (email) => sealedCookieFor(reference, email),
  };
  users = [];
  for (let i = 0; i < profile.users; i++) {
    const email = `soak-${i}@soak.test`;
    await createUser(email);
    users.push({ email, cookie: await context.signIn(email) });
  }
  // Each instance fetches its keys once before any fault, as an app warming up at start would.
  for (const app of apps) expect(await me(app.origin, users[0]!.cookie!)).toMatchObject({ status: 200 });
}, 60_000);

afterAll(async () => {
  if (phases.length > 0) {
    const dir = new URL('../../../test-results/', import.meta.url);
    await mkdir(dir, { recursive: true });
    await writeFile(new URL(`soak-${profile.name}.json`, dir), JSON.stringify({ profile, phases, heap }, null, 2));
    if (profile.name === 'long') console.log(`\nsoak (${profile.name}, seed ${profile.seed})\n${summaryTable(phases, heap)}\n`);
  }
  await Promise.all(apps.map((app) => kill(app.child)));
  if (emulator) await kill(emulator.child);
  await proxy?.close();
  await redis?.stop();
  await worker?.dispose();
});

test(
  'survivable faults (5xx, 429 + Retry-After, delays, resets; JWKS outages): no session lost, no throw, no wrong user, one rotation per expiry',
  async () => {
    // The proxy draws from its own stream, so the client's draws do not shift the faults.
    const random = seeded(profile.seed + 1);
    proxy.state.fault = faultsFor(random, profile.faultDeck, profile.jwksDeck);
    proxy.state.delayMs = () => profile.delayMs[0] + Math.floor(random() * (profile.delayMs[1] - profile.delayMs[0]));
    const figures = await runPhase(context, users, 'survivable faults', profile.cycles, (cycle) => (cycle % 2 === 0 ? 'expired' : 'due'), async (cycle) => {
      if (cycle === 0) for (const app of apps) heapBefore.set(app, await heapOf(app));
    });
    phases.push(figures);

    expect.soft(figures.throwSamples).toEqual([]);
    expect.soft(figures.throws).toBe(0);
    expect.soft(figures.wrongUser).toBe(0);
    expect.soft(figures.sessionsLost).toBe(0);
    expect.soft(figures.stuck).toBe(0);
    expect.soft(figures.invalidGrants).toBe(0);
    // Every rotation reached its user, and each user's token was rotated once per expiry.
    expect.soft(figures.rotations).toBe(figures.rotated);
    expect.soft(figures.rotationsPerExpiry).toBe(1);
    expect.soft(figures.retryAfterViolations).toBe(0);
    // Key-set refreshes fail in the background while the cached keys go on verifying.
    expect.soft(figures.retryable.jwks_unavailable ?? 0).toBe(0);
    expect(figures.authenticated).toBeGreaterThan(0);
    for (const fault of ['status500', 'status429', 'reset', 'delay', 'none']) expect(figures.grants[fault] ?? 0).toBeGreaterThan(0);
    expect(figures.jwksFetches).toBeGreaterThanOrEqual(profile.jwksDeck.size);
  },
  phaseTimeout(profile.cycles),
);

test(
  'responses lost after rotation: each costs at most the one session it hit; no throw, no wrong user',
  async () => {
    proxy.state.fault = faultsFor(seeded(profile.seed + 2), profile.lostDeck);
    const figures = await runPhase(context, users, 'lost rotation responses', profile.lostCycles, () => 'expired');
    phases.push(figures);

    expect.soft(figures.throwSamples).toEqual([]);
    expect.soft(figures.throws).toBe(0);
    expect.soft(figures.wrongUser).toBe(0);
    expect.soft(figures.lostOther).toEqual({});
    expect.soft(figures.stuck).toBe(0);
    expect.soft(figures.sessionsLost).toBe(figures.lostAfterLostRotation);
    expect.soft(figures.sessionsLost).toBeLessThanOrEqual(figures.lostRotations);
    // One invalid_grant answer per dropped rotation ends that session on every tab and instance:
    // the terminal outcome is shared through Redis, not fetched again per tab.
    expect.soft(figures.invalidGrants).toBeLessThanOrEqual(figures.lostRotations);
    expect(figures.lostRotations).toBeGreaterThan(0);
  },
  phaseTimeout(profile.lostCycles),
);

test('the app processes survived, and their heaps after GC grew within bounds', async () => {
  for (const app of apps) expect(alive(app.child)).toBe(true);
  for (const app of apps) {
    const before = heapBefore.get(app);
    if (before === undefined) continue;
    heap.push({ instance: `:${new URL(app.origin).port}`, before, after: await heapOf(app) });
  }
  expect(heap).toHaveLength(apps.length);
  for (const { before, after } of heap) expect.soft(after - before).toBeLessThan(profile.heapGrowthBound);
});
