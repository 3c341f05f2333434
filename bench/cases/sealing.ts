/**
 * Case 3: seal and unseal per format, ours against iron-session and iron-webcrypto, on the
 * session payload our SessionManager writes for the emulator's user. Unseals read cookies no
 * library has seen (fresh seals every batch, shared by all tasks). bench/seal.ts goes deeper
 * (WebCrypto backend, string password vs keyring).
 */
import * as ironWebcrypto from 'iron-webcrypto';
import { sealData as ironSessionSeal, unsealData as ironSessionUnseal } from 'iron-session';
import { sealData, unsealData } from '../../src/index.js';
import { createKeyring } from '../../src/seal/index.js';
import { measure, type MeasureOptions, type Task, type Timing } from '../lib/measure.js';
import { PASSWORD } from '../lib/provider.js';
import { timeRatio, type Row } from '../lib/report.js';
import { sharedRounds } from '../lib/rounds.js';

const SECTION = 'seal / unseal (session payload of the emulator user)';
const BATCH = 100;
const FERNET_KEY = 'cw_0x689RpI-jtRR7oE8h_eQsKImvJapLeSbXpwF4e4=';

const stripSuffix = (sealed: string) => (sealed.endsWith('~2') ? sealed.slice(0, -2) : sealed);

export async function sealingCases(payload: Record<string, unknown>, options: MeasureOptions): Promise<Row[]> {
  const keyring = createKeyring(PASSWORD);
  const fernet = createKeyring(FERNET_KEY);
  const ironPeer = { id: '1', secret: PASSWORD };
  const fresh = sharedRounds(3, () => Promise.all(Array.from({ length: BATCH }, () => sealData(payload, { password: keyring }))));
  const unseals: Task[] = [
    { name: 'ours', batch: BATCH, prepare: async () => { const c = await fresh(0); return (i) => unsealData(c[i]!, { password: keyring }); } },
    { name: 'iron-session', batch: BATCH, prepare: async () => { const c = await fresh(1); return (i) => ironSessionUnseal(c[i]!, { password: { 1: PASSWORD } }); } },
    {
      name: 'iron-webcrypto', batch: BATCH,
      prepare: async () => { const c = await fresh(2); return (i) => ironWebcrypto.unseal(stripSuffix(c[i]!), { 1: PASSWORD }, ironWebcrypto.defaults); },
    },
  ];
  const seals: Task[] = [
    { name: 'ours', batch: BATCH, prepare: () => () => sealData(payload, { password: keyring }) },
    { name: 'iron-session', batch: BATCH, prepare: () => () => ironSessionSeal(payload, { password: { 1: PASSWORD }, ttl: 0 }) },
    { name: 'iron-webcrypto', batch: BATCH, prepare: () => () => ironWebcrypto.seal(payload, ironPeer, ironWebcrypto.defaults) },
  ];
  const freshFernet = sharedRounds(1, () => Promise.all(Array.from({ length: BATCH }, () => sealData(payload, { password: fernet, format: 'fernet' }))));
  const fernetTasks: Task[] = [
    { name: 'fernet seal', batch: BATCH, prepare: () => () => sealData(payload, { password: fernet, format: 'fernet' }) },
    { name: 'fernet unseal', batch: BATCH, prepare: async () => { const c = await freshFernet(0); return (i) => unsealData(c[i]!, { password: fernet }); } },
  ];
  const [oursUnseal, sessionUnseal, webcryptoUnseal] = await measure(unseals, options);
  const [oursSeal, sessionSeal, webcryptoSeal] = await measure(seals, options);
  const [fernetSeal, fernetUnseal] = await measure(fernetTasks, options);

  const row = (operation: string, ours: Timing, peerName: string, peer: Timing | null): Row => ({
    section: SECTION, operation, unit: 'µs/op', ours: ours.medianUs, peerName, peer: peer?.medianUs ?? null,
    ratio: timeRatio(ours.medianUs, peer?.medianUs ?? null), cpu: { ours: ours.cpuMedianUs, peer: peer?.cpuMedianUs ?? null },
  });
  return [
    row('iron unseal (never-seen cookie)', oursUnseal!, 'iron-session', sessionUnseal!),
    row('iron unseal (never-seen cookie)', oursUnseal!, 'iron-webcrypto', webcryptoUnseal!),
    row('iron seal', oursSeal!, 'iron-session', sessionSeal!),
    row('iron seal', oursSeal!, 'iron-webcrypto', webcryptoSeal!),
    { ...row('fernet seal', fernetSeal!, 'no Node peer', null), notes: 'workos-python uses Fernet; peers.md §9 has Python figures' },
    row('fernet unseal (never-seen cookie)', fernetUnseal!, 'no Node peer', null),
  ];
}
