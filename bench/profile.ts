/**
 * Profiling aid: runs one of our hot paths alone, inputs prepared up front, with the CPU
 * profiler on only while it runs. `npm run bench:profile -- fresh|repeat` prints the functions
 * with the most self time and writes the .cpuprofile to the temp directory.
 */
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SessionManager } from '../src/index.js';
import { profile, selfTimeSummary } from './lib/cpu-profile.js';
import { sealAll } from './cases/authenticate.js';
import { startProvider } from './lib/provider.js';
import { expectAuthenticated } from './lib/rounds.js';

const which = process.argv[2] === 'repeat' ? 'repeat' : 'fresh';
const rounds = Number(process.env.BENCH_PROFILE_ROUNDS ?? 300);
const provider = await startProvider(100);
const sealer = new SessionManager(provider.managerOptions);

type Round = { sessions: SessionManager; cookies: string[] };
const shared = new SessionManager(provider.managerOptions);
await shared.jwks.refresh();
const sharedCookies = await sealAll(sealer, provider.responses);

/** Fresh: per round a manager whose verifier has seen nothing (JWKS fetched) and fresh seals. */
async function prepare(count: number): Promise<Round[]> {
  const list: Round[] = [];
  for (let round = 0; round < count; round++) {
    if (which === 'repeat') {
      list.push({ sessions: shared, cookies: sharedCookies });
      continue;
    }
    const sessions = new SessionManager(provider.managerOptions);
    await sessions.jwks.refresh();
    list.push({ sessions, cookies: await sealAll(sealer, provider.responses) });
  }
  return list;
}

async function run(prepared: Round[]): Promise<number> {
  let count = 0;
  for (const { sessions, cookies } of prepared) {
    for (const cookie of cookies) {
      expectAuthenticated(await sessions.loadSealedSession({ sessionData: cookie }).authenticate());
      count++;
    }
  }
  return count;
}

await run(await prepare(50)); // warm-up: JIT, and the verified-token cache of the `repeat` manager
const measured = await prepare(rounds);
const file = join(tmpdir(), `sealed-session-${which}.cpuprofile`);
let count = 0;
const started = performance.now();
const result = await profile(file, async () => {
  count = await run(measured);
});
const elapsed = performance.now() - started;
console.log(`${which}: ${count} authentications, ${((elapsed * 1000) / count).toFixed(1)} µs each (profiler on); profile: ${file}`);
console.log(selfTimeSummary(result));
await provider.close();
