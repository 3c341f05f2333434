/**
 * Cases 1 and 2: `authenticate()` of a cookie never seen before, and of the same cookie again
 * and again, ours against @workos-inc/node and against the floor, on the emulator's tokens.
 */
import { SessionManager, type AuthenticationResponse } from '../../src/index.js';
import { fetchVerifyKey, floorAuthenticate } from '../lib/floor.js';
import { measure, type MeasureOptions, type Task } from '../lib/measure.js';
import { PASSWORD, type Provider } from '../lib/provider.js';
import { timeRatio, type Row } from '../lib/report.js';
import { expectAuthenticated, sharedRounds } from '../lib/rounds.js';

const SECTION = 'authenticate() (emulator tokens, JWKS warm on loopback)';

/** A manager whose verifier has seen nothing, with its JWKS already fetched (outside the timing). */
async function freshManager(options: Provider['managerOptions']): Promise<SessionManager> {
  const sessions = new SessionManager(options);
  await sessions.jwks.refresh();
  return sessions;
}

/**
 * Our cookies for `responses`, sealed now (fresh salts): a seal-layer cache cannot know them.
 * Each is copied into a flat string, as a server gets it out of a Cookie header: a seal is
 * built by concatenation, and V8 would otherwise make whichever library reads a cookie first
 * pay for flattening it (about 0.5 µs for 2 KB), that is, the task that runs first.
 */
export async function sealAll(sessions: SessionManager, responses: readonly AuthenticationResponse[]): Promise<string[]> {
  const cookies = await Promise.all(responses.map((response) => sessions.sealSessionFromAuthResponse(response)));
  return cookies.map((cookie) => Buffer.from(cookie, 'latin1').toString('latin1'));
}

export async function authenticateCases(provider: Provider, options: MeasureOptions): Promise<Row[]> {
  const sealer = new SessionManager(provider.managerOptions);
  const workos = provider.workos();
  const pool = provider.responses;
  const jwksUrl = `${provider.url}/sso/jwks/${provider.clientId}`;
  const key = await fetchVerifyKey(jwksUrl, pool[0]!.accessToken);
  const peerAuthenticate = (cookie: string) =>
    workos.userManagement.loadSealedSession({ sessionData: cookie, cookiePassword: PASSWORD }).authenticate();

  const cookiesFor = sharedRounds(3, () => sealAll(sealer, pool));
  const fresh: Task[] = [
    {
      name: 'ours',
      batch: pool.length,
      prepare: async () => {
        const [sessions, cookies] = await Promise.all([freshManager(provider.managerOptions), cookiesFor(0)]);
        return async (i) => expectAuthenticated(await sessions.loadSealedSession({ sessionData: cookies[i] }).authenticate());
      },
    },
    {
      name: '@workos-inc/node',
      batch: pool.length,
      prepare: async () => {
        const cookies = await cookiesFor(1);
        return async (i) => expectAuthenticated(await peerAuthenticate(cookies[i]!));
      },
    },
    {
      name: 'floor',
      batch: pool.length,
      prepare: async () => {
        const cookies = await cookiesFor(2);
        return (i) => floorAuthenticate(cookies[i]!, PASSWORD, key);
      },
    },
  ];
  const [oursFresh, peerFresh, floorFresh] = await measure(fresh, options);

  const cookie = (await sealAll(sealer, pool.slice(0, 1)))[0]!;
  const warm = await freshManager(provider.managerOptions);
  const repeatBatch = 200;
  const repeated: Task[] = [
    {
      name: 'ours',
      batch: repeatBatch,
      prepare: () => async () => expectAuthenticated(await warm.loadSealedSession({ sessionData: cookie }).authenticate()),
    },
    { name: '@workos-inc/node', batch: repeatBatch, prepare: () => async () => expectAuthenticated(await peerAuthenticate(cookie)) },
    { name: 'floor', batch: repeatBatch, prepare: () => () => floorAuthenticate(cookie, PASSWORD, key) },
  ];
  const [oursRepeat, peerRepeat, floorRepeat] = await measure(repeated, options);

  const spread = (timing: { minUs: number; maxUs: number }) => `batches ${timing.minUs.toFixed(1)}–${timing.maxUs.toFixed(1)} µs`;
  const freshName = `valid cookie never seen before (${pool.length} distinct tokens, fresh verifier and fresh seals per batch)`;
  const repeatName = 'same cookie again (opened-cookie and verified-token caches)';
  return [
    {
      section: SECTION, operation: freshName, unit: 'µs/op', ours: oursFresh!.medianUs, peerName: '@workos-inc/node', peer: peerFresh!.medianUs,
      cpu: { ours: oursFresh!.cpuMedianUs, peer: peerFresh!.cpuMedianUs },
      ratio: timeRatio(oursFresh!.medianUs, peerFresh!.medianUs),
      notes: `cookie ${cookie.length} chars; ${spread(oursFresh!)}`,
    },
    {
      section: SECTION, operation: freshName, unit: 'µs/op', ours: oursFresh!.medianUs, peerName: 'floor', peer: floorFresh!.medianUs,
      cpu: { ours: oursFresh!.cpuMedianUs, peer: floorFresh!.cpuMedianUs },
      ratio: timeRatio(oursFresh!.medianUs, floorFresh!.medianUs),
      target: { text: 'ours ≤ 1.3× the floor', met: oursFresh!.medianUs <= 1.3 * floorFresh!.medianUs },
      notes: 'floor: node:crypto unseal (2× PBKDF2-SHA1, HMAC, AES-CBC, JSON.parse) + crypto.verify, key imported once',
    },
    {
      section: SECTION, operation: repeatName, unit: 'µs/op', ours: oursRepeat!.medianUs, peerName: '@workos-inc/node', peer: peerRepeat!.medianUs,
      cpu: { ours: oursRepeat!.cpuMedianUs, peer: peerRepeat!.cpuMedianUs },
      ratio: timeRatio(oursRepeat!.medianUs, peerRepeat!.medianUs), notes: spread(oursRepeat!),
    },
    {
      section: SECTION, operation: repeatName, unit: 'µs/op', ours: oursRepeat!.medianUs, peerName: 'floor', peer: floorRepeat!.medianUs,
      cpu: { ours: oursRepeat!.cpuMedianUs, peer: floorRepeat!.cpuMedianUs },
      ratio: timeRatio(oursRepeat!.medianUs, floorRepeat!.medianUs),
      target: { text: 'below the floor', met: oursRepeat!.medianUs < floorRepeat!.medianUs },
      notes: 'ours opens the seal and verifies the RSA signature once; expiry and the cookie user are checked on every call',
    },
  ];
}
