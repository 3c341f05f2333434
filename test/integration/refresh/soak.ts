/**
 * The soak of issue #12: many users, several tabs each, against app instances sharing Redis,
 * through the fault proxy in front of the emulator, while the shared clock moves so that
 * access tokens expire again and again. Every request's outcome is counted; the figures
 * go into a {@link PhaseFigures} per phase.
 */
import type { ChildProcess } from 'node:child_process';
import type { Fault, ProxiedRequest, startProxy } from '../../support/proxy.js';
import { me, type StormReply } from './helpers.js';
import { ask } from './processes.js';

/** So many of each fault in every `size` refresh grants. */
export interface FaultDeck {
  size: number;
  faults: ReadonlyArray<readonly [Fault, number]>;
}

/** Sizes of one run. `SOAK=long` picks the long form; `SOAK_SEED`, `SOAK_USERS`, `SOAK_TABS`, `SOAK_CYCLES` override. */
export interface SoakProfile {
  name: 'short' | 'long';
  seed: number;
  users: number;
  tabs: number;
  /** Clock steps of the survivable phase: each makes every access token due or expired once. */
  cycles: number;
  /** Clock steps of the lost-response phase. */
  lostCycles: number;
  /** Refresh grants whose response is dropped after the provider rotated the token. */
  lostDeck: FaultDeck;
  /** Refresh grants hit by each survivable fault. */
  faultDeck: FaultDeck;
  /** JWKS fetches (one per instance after each clock step: the keys are stale) hit by each fault. */
  jwksDeck: FaultDeck;
  /** Range of an injected delay, in milliseconds: below the client's 8 s timeout. */
  delayMs: readonly [number, number];
  /** Requests each tab sends in a cycle, at least; it goes on until its user's session rotated. */
  minRequests: number;
  /** Pause between a tab's requests, in milliseconds. */
  thinkMs: readonly [number, number];
  /** Longest a cycle lasts; a user whose session has not rotated by then counts as stuck. */
  cycleDeadlineMs: number;
  /** Most the heap of an app instance may grow, after GC, between the first cycle and the end. */
  heapGrowthBound: number;
}

const MB = 1024 * 1024;

export function soakProfile(env: NodeJS.ProcessEnv = process.env): SoakProfile {
  const long = env.SOAK === 'long';
  const int = (name: string, fallback: number) => (env[name] ? Number.parseInt(env[name], 10) : fallback);
  return {
    name: long ? 'long' : 'short',
    seed: int('SOAK_SEED', 12),
    users: int('SOAK_USERS', long ? 40 : 8),
    tabs: int('SOAK_TABS', long ? 4 : 3),
    cycles: int('SOAK_CYCLES', long ? 12 : 4),
    lostCycles: long ? 6 : 2,
    lostDeck: { size: 10, faults: [['lost', 2]] },
    faultDeck: { size: 20, faults: [['status500', 2], ['status429', 1], ['reset', 1], ['delay', 3]] },
    jwksDeck: { size: 4, faults: [['status500', 1], ['reset', 1], ['delay', 1]] },
    delayMs: [100, 2_500],
    minRequests: long ? 5 : 2,
    thinkMs: [5, 30],
    cycleDeadlineMs: long ? 20_000 : 10_000,
    heapGrowthBound: 16 * MB,
  };
}

/** mulberry32: a small seeded generator, so a run's fault choices can be replayed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function between(random: () => number, [min, max]: readonly [number, number]): number {
  return min + Math.floor(random() * (max - min + 1));
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The emulator's access-token lifetime. */
export const TOKEN_LIFETIME_MS = 3_600_000;

/**
 * One clock for the emulator and every app instance (and the proxy's log): the real clock plus
 * an offset that only moves forward, between cycles, while no request is in flight.
 */
export class SharedClock {
  offsetMs = 0;
  readonly now = (): number => Date.now() + this.offsetMs;

  constructor(readonly children: readonly ChildProcess[]) {}

  /** Moves every clock `ms` forward and waits until each process has taken the new time. */
  async advance(ms: number): Promise<void> {
    this.offsetMs += ms;
    await Promise.all(this.children.map((child) => ask(child, { type: 'clock', offsetMs: this.offsetMs })));
  }
}

/** How a cycle reaches the refresh: tokens inside the refresh buffer (still valid), or expired. */
export type CycleKind = 'due' | 'expired';

/**
 * The clock step that makes every token issued during the previous cycle due (30 s before
 * its expiry, inside the 60 s refresh buffer) or expired (2 min past it, beyond any leeway).
 */
export function stepFor(kind: CycleKind): number {
  return kind === 'due' ? TOKEN_LIFETIME_MS - 30_000 : TOKEN_LIFETIME_MS + 120_000;
}

export interface SoakUser {
  email: string;
  /** The browser's `wos-session` cookie, shared by its tabs; `undefined` once deleted. */
  cookie: string | undefined;
}

/** The figures of one phase. */
export interface PhaseFigures {
  phase: string;
  users: number;
  tabs: number;
  cycles: number;
  /** User-cycles that began with a session: each is one expiry to get through. */
  expiries: number;
  requests: number;
  authenticated: number;
  /** 401 with the cookie kept (a transient failure), by reason. */
  retryable: Record<string, number>;
  /** Sessions whose cookie the app deleted (or that were refused for good). */
  sessionsLost: number;
  /** … of which the user's refresh response had been dropped after rotation in that cycle. */
  lostAfterLostRotation: number;
  /** Reasons of the losses not explained by a dropped rotation response. */
  lostOther: Record<string, number>;
  /** Requests answered 5xx, with an unreadable body, or not at all. */
  throws: number;
  throwSamples: string[];
  /** 200 responses naming another user than the cookie's owner. */
  wrongUser: number;
  /** User-cycles that ended at the deadline without a rotation (the cookie still held). */
  stuck: number;
  /** User-cycles whose cookie rotated. */
  rotated: number;
  /** Users signed in again, between cycles, after losing their session. */
  signIns: number;
  /** Refresh grants that reached the proxy, by injected fault. */
  grants: Record<string, number>;
  /** Refresh grants the provider answered 200: tokens rotated. */
  rotations: number;
  /** `invalid_grant` answers that reached an app: a spent token presented again. */
  invalidGrants: number;
  /** JWKS fetches that reached the proxy (faulted from the JWKS deck in the survivable phase). */
  jwksFetches: number;
  /** Rotations whose response the proxy dropped. */
  lostRotations: number;
  /** Rotations whose answer came back after the app had given up waiting (its own timeout). */
  abandonedRotations: number;
  /** Grants for a token within the `Retry-After` of a 429 the same token received. */
  retryAfterViolations: number;
  rotationsPerExpiry: number;
  grantsPerExpiry: number;
  durationMs: number;
}

type Proxy = Awaited<ReturnType<typeof startProxy>>;

export interface SoakContext {
  profile: SoakProfile;
  random: () => number;
  origins: readonly string[];
  clock: SharedClock;
  proxy: Proxy;
  /** Signs `email` in (through the proxy) and returns its sealed cookie. */
  signIn(email: string): Promise<string>;
}

/**
 * Deals faults from a shuffled deck of `deck.size` cards holding `deck.faults` (the rest
 * `none`), so every `size` requests carry exactly that mix, whatever the run's length.
 */
export function dealer(random: () => number, deck: FaultDeck): () => Fault {
  let cards: Fault[] = [];
  const shuffled = (): Fault[] => {
    const fresh: Fault[] = deck.faults.flatMap(([fault, count]) => Array<Fault>(count).fill(fault));
    while (fresh.length < deck.size) fresh.push('none');
    for (let i = fresh.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [fresh[i], fresh[j]] = [fresh[j]!, fresh[i]!];
    }
    return fresh;
  };
  return () => {
    if (cards.length === 0) cards = shuffled();
    return cards.pop()!;
  };
}

/**
 * The proxy's fault function: refresh grants from `grants`, JWKS fetches from `jwks`;
 * sign-ins and everything else always pass.
 */
export function faultsFor(random: () => number, grants: FaultDeck, jwks?: FaultDeck): (request: ProxiedRequest) => Fault {
  const grantFault = dealer(random, grants);
  const jwksFault = jwks && dealer(random, jwks);
  return (request) => {
    if (request.refreshToken !== undefined) return grantFault();
    if (jwksFault && request.path.startsWith('/sso/jwks/')) return jwksFault();
    return 'none';
  };
}

function emptyFigures(phase: string, profile: SoakProfile, cycles: number): PhaseFigures {
  return {
    phase, users: profile.users, tabs: profile.tabs, cycles, expiries: 0, requests: 0, authenticated: 0, retryable: {},
    sessionsLost: 0, lostAfterLostRotation: 0, lostOther: {}, throws: 0, throwSamples: [], wrongUser: 0, stuck: 0, rotated: 0,
    signIns: 0, grants: {}, jwksFetches: 0, rotations: 0, invalidGrants: 0, lostRotations: 0, abandonedRotations: 0, retryAfterViolations: 0,
    rotationsPerExpiry: 0, grantsPerExpiry: 0, durationMs: 0,
  };
}

function bump(counts: Record<string, number>, key: string): void {
  counts[key] = (counts[key] ?? 0) + 1;
}

/** Runs `cycles` clock steps, each of `kindOf(cycle)`, with every user's tabs, and counts what happens. */
export async function runPhase(
  context: SoakContext,
  users: SoakUser[],
  phase: string,
  cycles: number,
  kindOf: (cycle: number) => CycleKind,
  afterCycle: (cycle: number) => Promise<void> = async () => undefined,
): Promise<PhaseFigures> {
  const { profile, random, origins, clock, proxy } = context;
  const figures = emptyFigures(phase, profile, cycles);
  const logStart = proxy.state.refreshLog.length;
  const jwksStart = jwksFetches(proxy);
  const started = performance.now();

  for (let cycle = 0; cycle < cycles; cycle++) {
    for (const user of users) {
      if (user.cookie !== undefined) continue;
      user.cookie = await context.signIn(user.email);
      figures.signIns++;
    }
    await clock.advance(stepFor(kindOf(cycle)));
    const cycleLog = proxy.state.refreshLog.length;
    const deadline = performance.now() + profile.cycleDeadlineMs;
    const startCookies = new Map(users.map((user) => [user, user.cookie]));
    const lostIn = new Set<SoakUser>();
    figures.expiries += users.length;

    const droppedRotationFor = (user: SoakUser) =>
      proxy.state.refreshLog.slice(cycleLog).some((r) => r.fault === 'lost' && r.upstreamStatus === 200 && r.email === user.email);

    const settle = (user: SoakUser, reply: StormReply): void => {
      // A browser applies every Set-Cookie it receives, whichever cookie the request carried.
      if (reply.newCookie === '') user.cookie = undefined;
      else if (reply.newCookie !== undefined) user.cookie = reply.newCookie;
      const { body } = reply;
      if (reply.status >= 500) {
        figures.throws++;
        return;
      }
      if (reply.status === 200 && body.authenticated === true) {
        figures.authenticated++;
        if (body.email !== user.email) figures.wrongUser++;
        return;
      }
      const reason = body.reason ?? `status_${reply.status}`;
      if (reply.status === 401 && body.retryable === true && reply.newCookie !== '') return bump(figures.retryable, reason);
      user.cookie = undefined;
      if (lostIn.has(user)) return;
      lostIn.add(user);
      figures.sessionsLost++;
      if (droppedRotationFor(user)) figures.lostAfterLostRotation++;
      else bump(figures.lostOther, reason);
    };

    const tab = async (user: SoakUser): Promise<void> => {
      const rotated = () => user.cookie !== undefined && user.cookie !== startCookies.get(user);
      for (let sent = 0; sent < profile.minRequests || !rotated(); sent++) {
        const cookie = user.cookie;
        if (cookie === undefined || lostIn.has(user) || performance.now() > deadline) return;
        const origin = origins[Math.floor(random() * origins.length)]!;
        figures.requests++;
        try {
          settle(user, await me(origin, cookie));
        } catch (error) {
          figures.throws++;
          const cause = (error as { cause?: { code?: string; message?: string } }).cause;
          if (figures.throwSamples.length < 5) figures.throwSamples.push(`${String(error)}${cause ? ` (${cause.code ?? cause.message})` : ''}`);
        }
        await sleep(between(random, profile.thinkMs));
      }
    };

    await Promise.all(users.flatMap((user) => Array.from({ length: profile.tabs }, () => tab(user))));
    for (const user of users) {
      if (lostIn.has(user)) continue;
      if (user.cookie !== undefined && user.cookie !== startCookies.get(user)) figures.rotated++;
      else figures.stuck++;
    }
    await afterCycle(cycle);
  }

  const log = proxy.state.refreshLog.slice(logStart);
  for (const record of log) {
    bump(figures.grants, record.fault);
    if (record.upstreamStatus === 200) figures.rotations++;
    if (record.upstreamError === 'invalid_grant' && record.fault !== 'lost') figures.invalidGrants++;
    if (record.fault === 'lost' && record.upstreamStatus === 200) figures.lostRotations++;
    else if (record.upstreamStatus === 200 && record.clientGone) figures.abandonedRotations++;
  }
  figures.jwksFetches = jwksFetches(proxy) - jwksStart;
  figures.retryAfterViolations = retryAfterViolations(log, proxy.state.retryAfterSec * 1000);
  figures.rotationsPerExpiry = round(figures.rotations / figures.expiries);
  figures.grantsPerExpiry = round(log.length / figures.expiries);
  figures.durationMs = Math.round(performance.now() - started);
  return figures;
}

function jwksFetches(proxy: Proxy): number {
  let total = 0;
  for (const [path, count] of proxy.state.counts) if (path.startsWith('/sso/jwks/')) total += count;
  return total;
}

function round(value: number): number {
  return Math.round(value * 1000) / 1000;
}

/** Grants presenting a token before the `Retry-After` of a 429 that token received had passed. */
function retryAfterViolations(log: Proxy['state']['refreshLog'], retryAfterMs: number): number {
  const blockedUntil = new Map<string, number>();
  let violations = 0;
  for (const record of log) {
    const until = blockedUntil.get(record.refreshToken);
    if (until !== undefined && record.at < until) violations++;
    if (record.fault === 'status429') blockedUntil.set(record.refreshToken, record.at + retryAfterMs);
  }
  return violations;
}

/** A plain-text table of the phases' figures, one column per phase. */
export function summaryTable(phases: readonly PhaseFigures[], heap: ReadonlyArray<{ instance: string; before: number; after: number }>): string {
  const rows: Array<[string, (f: PhaseFigures) => unknown]> = [
    ['users × tabs', (f) => `${f.users} × ${f.tabs}`],
    ['clock steps (expiries each)', (f) => f.cycles],
    ['expiries (user-cycles)', (f) => f.expiries],
    ['requests', (f) => f.requests],
    ['authenticated', (f) => f.authenticated],
    ['401, cookie kept', (f) => Object.entries(f.retryable).map(([k, v]) => `${k}:${v}`).join(' ') || 0],
    ['sessions lost', (f) => f.sessionsLost],
    ['… after a dropped rotation', (f) => f.lostAfterLostRotation],
    ['… otherwise', (f) => Object.entries(f.lostOther).map(([k, v]) => `${k}:${v}`).join(' ') || 0],
    ['throws (5xx, no answer)', (f) => f.throws],
    ['wrong-user authentications', (f) => f.wrongUser],
    ['stuck at deadline', (f) => f.stuck],
    ['signed in again', (f) => f.signIns],
    ['refresh grants by fault', (f) => Object.entries(f.grants).map(([k, v]) => `${k}:${v}`).join(' ')],
    ['JWKS fetches', (f) => f.jwksFetches],
    ['rotations upstream', (f) => f.rotations],
    ['dropped rotations', (f) => f.lostRotations],
    ['rotations the app gave up on', (f) => f.abandonedRotations],
    ['invalid_grant upstream', (f) => f.invalidGrants],
    ['Retry-After violations', (f) => f.retryAfterViolations],
    ['rotations per expiry', (f) => f.rotationsPerExpiry],
    ['grants per expiry', (f) => f.grantsPerExpiry],
    ['duration (s)', (f) => (f.durationMs / 1000).toFixed(1)],
  ];
  const table = [['', ...phases.map((f) => f.phase)], ...rows.map(([label, cell]) => [label, ...phases.map((f) => String(cell(f)))])];
  for (const { instance, before, after } of heap) {
    table.push([`heap ${instance} (MB, after GC)`, `${(before / MB).toFixed(1)} → ${(after / MB).toFixed(1)}`]);
  }
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => (row[i] ?? '').length)));
  return table.map((row) => row.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
}
