/**
 * The observability examples (examples/observability/*.ts), run as docs/observability.md shows
 * them, against the WorkOS emulator: a sign-in, requests, a refresh, a failed callback and a
 * sign-out go through a handler whose manager has the example's listener. OpenTelemetry is
 * captured by a small MeterProvider and TracerProvider written here against the
 * `@opentelemetry/api` interfaces (the SDK is the app's choice); pino writes to a stream read
 * back line by line. The page must hold each example exactly as the file is.
 */
import { readFile } from 'node:fs/promises';
import { Writable } from 'node:stream';
import {
  createNoopMeter,
  metrics,
  trace,
  type Attributes,
  type Counter,
  type Histogram,
  type Meter,
  type MeterProvider,
  type Span,
  type SpanContext,
  type SpanOptions,
  type SpanStatus,
  type TimeInput,
  type Tracer,
  type TracerProvider,
} from '@opentelemetry/api';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startEmulator } from '../../../demo/emulator.js';
import { openTelemetryListener } from '../../../examples/observability/otel.js';
import { pinoListener } from '../../../examples/observability/pino.js';
import { parseCookieHeader } from '../../../src/cookies/index.js';
import { createSessionHandler, SessionManager, type SessionEvent } from '../../../src/index.js';
import { PASSWORD } from '../../support/web-app.js';

const APP = 'http://localhost:3999';

let emulator: Awaited<ReturnType<typeof startEmulator>>;

beforeAll(async () => {
  emulator = await startEmulator();
});
afterAll(async () => {
  metrics.disable();
  trace.disable();
  await emulator?.close();
});

function pairs(response: Response | string[]): Map<string, string> {
  const headers = Array.isArray(response) ? response : response.headers.getSetCookie();
  return parseCookieHeader(headers.map((header) => header.split(';', 1)[0]).join('; '));
}

/** Sign-in, two requests, a refresh, a callback without its state, sign-out: what an app's first minutes look like. */
async function journey(onEvent: (event: SessionEvent) => void): Promise<void> {
  let clock = Date.now();
  const sessions = new SessionManager({
    clientId: emulator.clientId, apiKey: emulator.apiKey, cookiePassword: PASSWORD, baseUrl: emulator.url, now: () => clock, onEvent,
    // The clock jumps past the tokens' expiry: keys that never go stale keep the events' order fixed.
    jwks: { maxAgeMs: 86_400_000 },
  });
  const auth = createSessionHandler({ sessions, redirectUri: `${APP}/auth/callback` });
  const start = (await auth.handle(new Request(`${APP}/auth/sign-in?loginHint=${encodeURIComponent(emulator.users.alice.email)}`)))!;
  const state = pairs(start).get('wos-auth-state')!;
  const atProvider = await fetch(start.headers.get('location')!, { redirect: 'manual' });
  const callback = new URL(atProvider.headers.get('location')!);
  expect((await auth.handle(new Request(callback)))!.status).toBe(400);
  const done = (await auth.handle(new Request(callback, { headers: { cookie: `wos-auth-state=${state}` } })))!;
  let cookie = pairs(done).get('wos-session')!;
  const page = () => new Request(`${APP}/`, { headers: { cookie: `wos-session=${cookie}` } });
  expect((await auth.authenticate(page())).session.authenticated).toBe(true);
  clock += 3_660_000;
  const refreshed = await auth.authenticate(page());
  expect(refreshed.session).toMatchObject({ authenticated: true, refreshed: true });
  cookie = pairs(refreshed.setCookies).get('wos-session')!;
  expect((await auth.handle(new Request(`${APP}/auth/sign-out`, { method: 'POST', headers: { cookie: `wos-session=${cookie}`, origin: APP } })))!.status).toBe(303);
}

describe('docs/observability.md', () => {
  test('holds each example exactly as its file is', async () => {
    const page = await readFile(new URL('../../../docs/observability.md', import.meta.url), 'utf8');
    for (const file of ['otel.ts', 'pino.ts']) {
      const source = await readFile(new URL(`../../../examples/observability/${file}`, import.meta.url), 'utf8');
      expect(page.includes(`\`\`\`ts\n${source}\`\`\``), file).toBe(true);
    }
  });
});

describe('OpenTelemetry', () => {
  interface Recorded {
    instrument: string;
    value: number;
    attributes: Attributes;
  }
  interface FinishedSpan {
    name: string;
    start: TimeInput | undefined;
    end: TimeInput | undefined;
    attributes: Attributes;
    status: SpanStatus | undefined;
  }
  const recorded: Recorded[] = [];
  const spans: FinishedSpan[] = [];

  class RecordingSpan implements Span {
    #status: SpanStatus | undefined;
    readonly #attributes: Attributes;
    constructor(readonly name: string, readonly options: SpanOptions) {
      this.#attributes = { ...options.attributes };
    }
    spanContext(): SpanContext {
      return { traceId: '0'.repeat(31) + '1', spanId: '0'.repeat(15) + '1', traceFlags: 1 };
    }
    setAttribute(key: string, value: Attributes[string]): this {
      this.#attributes[key] = value;
      return this;
    }
    setAttributes(attributes: Attributes): this {
      Object.assign(this.#attributes, attributes);
      return this;
    }
    addEvent(): this {
      return this;
    }
    addLink(): this {
      return this;
    }
    addLinks(): this {
      return this;
    }
    setStatus(status: SpanStatus): this {
      this.#status = status;
      return this;
    }
    updateName(): this {
      return this;
    }
    end(endTime?: TimeInput): void {
      spans.push({ name: this.name, start: this.options.startTime, end: endTime, attributes: this.#attributes, status: this.#status });
    }
    isRecording(): boolean {
      return true;
    }
    recordException(): void {}
  }

  const tracer = {
    startSpan: (name: string, options: SpanOptions = {}) => new RecordingSpan(name, options),
    startActiveSpan: () => {
      throw new Error('not used by the example');
    },
  } as unknown as Tracer;
  const tracerProvider: TracerProvider = { getTracer: () => tracer };

  const instrument = (name: string) => ({
    add: (value: number, attributes: Attributes = {}) => void recorded.push({ instrument: name, value, attributes }),
    record: (value: number, attributes: Attributes = {}) => void recorded.push({ instrument: name, value, attributes }),
  });
  // Every other instrument stays the no-op one.
  const meter: Meter = Object.assign(Object.create(createNoopMeter()) as Meter, {
    createCounter: (name: string) => instrument(name) as Counter,
    createHistogram: (name: string) => instrument(name) as Histogram,
  });
  const meterProvider: MeterProvider = { getMeter: () => meter };

  test('a journey records counters, durations and spans, with the events’ outcomes', async () => {
    expect(metrics.setGlobalMeterProvider(meterProvider)).toBe(true);
    expect(trace.setGlobalTracerProvider(tracerProvider)).toBe(true);
    await journey(openTelemetryListener());

    const counted = recorded.filter((entry) => entry.instrument === 'sealed_session.events');
    expect(counted.every((entry) => entry.value === 1)).toBe(true);
    expect(counted.map((entry) => entry.attributes['session.event'])).toEqual([
      'sign_in.started', 'sign_in.failed', 'sign_in.succeeded', 'jwks.fetched', 'authenticate', 'authenticate',
      'refresh.started', 'refresh.succeeded', 'sign_out',
    ]);
    expect(counted[1]!.attributes).toEqual({ 'session.event': 'sign_in.failed', 'session.cause': 'missing_parameters' });
    expect(counted[5]!.attributes).toEqual({ 'session.event': 'authenticate', 'session.outcome': 'invalid_jwt' });
    expect(counted[7]!.attributes).toEqual({ 'session.event': 'refresh.succeeded', 'session.leader': true, 'session.grace_hit': false });
    for (const entry of recorded) expect(JSON.stringify(entry.attributes)).not.toMatch(/user_|session_|@/);

    const durations = recorded.filter((entry) => entry.instrument === 'sealed_session.duration');
    expect(durations.map((entry) => entry.attributes['session.event'])).toEqual(['sign_in.succeeded', 'jwks.fetched', 'refresh.succeeded']);
    expect(durations.every((entry) => entry.value >= 0)).toBe(true);

    expect(spans.map((span) => span.name)).toEqual(['sealed_session.sign_in', 'sealed_session.jwks', 'sealed_session.refresh']);
    for (const span of spans) {
      expect(typeof span.start).toBe('number');
      expect(span.end as number).toBeGreaterThanOrEqual(span.start as number);
      expect(span.status).toBeUndefined();
    }
    expect(spans[0]!.attributes['session.id']).toMatch(/^session_/);
    expect(spans[2]!.attributes['session.id']).toMatch(/^session_/);
  });
});

describe('pino', () => {
  test('a journey writes one JSON line per event, at the level the example gives it', async () => {
    const lines: Array<Record<string, unknown>> = [];
    const stream = new Writable({
      write(chunk: Buffer, _encoding, done) {
        for (const line of chunk.toString('utf8').split('\n')) if (line) lines.push(JSON.parse(line) as Record<string, unknown>);
        done();
      },
    });
    await journey(pinoListener(pino({ level: 'debug' }, stream)));

    expect(lines.map((line) => [line.msg, line.level])).toEqual([
      ['sign_in.started', 30],
      ['sign_in.failed', 40],
      ['sign_in.succeeded', 30],
      ['jwks.fetched', 30],
      ['authenticate', 20],
      ['authenticate', 20],
      ['refresh.started', 30],
      ['refresh.succeeded', 30],
      ['sign_out', 30],
    ]);
    for (const line of lines) {
      expect(line).toMatchObject({ component: 'sealed-session', event: line.msg, eventAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/) });
      expect(JSON.stringify(line)).not.toContain(emulator.users.alice.email);
    }
    expect(lines[1]).toMatchObject({ cause: 'missing_parameters', retryable: false });
    expect(lines[7]).toMatchObject({ leader: true, graceHit: false, sessionId: expect.stringMatching(/^session_/) });
  });
});
