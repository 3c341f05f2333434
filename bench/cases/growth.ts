/**
 * Case 5: how authenticate() cost grows with the cookie (permissions ×1, ×10, ×100) and with
 * the key set (1, 10, 50 keys), ours against @workos-inc/node. Tokens are signed with our own
 * RSA keys behind a loopback JWKS (the emulator cannot mint such tokens); every batch reads
 * cookies never seen, with a fresh verifier, like case 1.
 */
import { WorkOS } from '@workos-inc/node';
import { SessionManager, type AuthenticationResponse, type User } from '../../src/index.js';
import { measure, type MeasureOptions, type Task } from '../lib/measure.js';
import { PASSWORD } from '../lib/provider.js';
import { timeRatio, type Row } from '../lib/report.js';
import { expectAuthenticated, sharedRounds } from '../lib/rounds.js';
import { startKeyServer, workosClaims, type KeyServer } from '../lib/signer.js';
import { sealAll } from './authenticate.js';

const SECTION = 'authenticate() cost growth (own RSA keys, loopback JWKS, never-seen cookies)';
const POOL = 100;
const BASE_PERMISSIONS = 4;

function responsesFor(server: KeyServer, user: User, permissionCount: number): AuthenticationResponse[] {
  return Array.from({ length: POOL }, (_, serial) => ({
    user,
    accessToken: server.sign(workosClaims({ issuer: server.baseUrl, clientId: server.clientId, userId: user.id, serial, permissionCount })),
    refreshToken: `refresh_bench_${serial}`,
  }));
}

async function compare(server: KeyServer, responses: AuthenticationResponse[], options: MeasureOptions) {
  const managerOptions = { clientId: server.clientId, apiKey: 'sk_bench', cookiePassword: PASSWORD, baseUrl: server.baseUrl, issuer: server.baseUrl };
  const sealer = new SessionManager(managerOptions);
  const url = new URL(server.baseUrl);
  const workos = new WorkOS('sk_bench', { apiHostname: url.hostname, port: Number(url.port), https: false, clientId: server.clientId });
  const cookiesFor = sharedRounds(2, () => sealAll(sealer, responses));
  const tasks: Task[] = [
    {
      name: 'ours', batch: POOL,
      prepare: async () => {
        const sessions = new SessionManager(managerOptions);
        await sessions.jwks.refresh();
        const cookies = await cookiesFor(0);
        return async (i) => expectAuthenticated(await sessions.loadSealedSession({ sessionData: cookies[i] }).authenticate());
      },
    },
    {
      name: '@workos-inc/node', batch: POOL,
      prepare: async () => {
        const cookies = await cookiesFor(1);
        return async (i) =>
          expectAuthenticated(await workos.userManagement.loadSealedSession({ sessionData: cookies[i]!, cookiePassword: PASSWORD }).authenticate());
      },
    },
  ];
  const [ours, peer] = await measure(tasks, options);
  return { ours: ours!, peer: peer!, cookieLength: (await sealAll(sealer, responses.slice(0, 1)))[0]!.length };
}

export async function growthCases(user: User, options: MeasureOptions): Promise<Row[]> {
  const server = await startKeyServer(50);
  const rows: Row[] = [];
  const push = (operation: string, result: Awaited<ReturnType<typeof compare>>, notes: string) =>
    rows.push({
      section: SECTION, operation, unit: 'µs/op', ours: result.ours.medianUs, peerName: '@workos-inc/node', peer: result.peer.medianUs,
      cpu: { ours: result.ours.cpuMedianUs, peer: result.peer.cpuMedianUs },
      ratio: timeRatio(result.ours.medianUs, result.peer.medianUs), notes,
    });
  try {
    server.setKeyCount(1);
    for (const factor of [1, 10, 100]) {
      const count = BASE_PERMISSIONS * factor;
      const result = await compare(server, responsesFor(server, user, count), options);
      push(`permissions ×${factor} (${count}), 1 key`, result, `cookie ${result.cookieLength.toLocaleString('en-US')} chars`);
    }
    const responses = responsesFor(server, user, BASE_PERMISSIONS);
    for (const keys of [10, 50]) {
      server.setKeyCount(keys);
      const result = await compare(server, responses, options);
      push(`${keys} keys in the JWKS, permissions ×1`, result, `signing key listed last`);
    }
  } finally {
    await server.close();
  }
  return rows;
}
