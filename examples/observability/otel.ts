/**
 * sealed-session events as OpenTelemetry metrics and spans. Only `@opentelemetry/api` is used:
 * the app registers its SDK (exporters, MeterProvider, TracerProvider) as usual, and without
 * one every call here is a no-op.
 *
 * - `sealed_session.events`: a counter of every event, by type and outcome (reason, cause,
 *   trigger…), all low-cardinality: no user or session id in metric attributes.
 * - `sealed_session.duration`: a histogram, in milliseconds, of the events that measure one
 *   (sign-in code exchange, refresh, JWKS fetch).
 * - a span for each of those, placed in time from the event's `at` and `durationMs`, with the
 *   session id, and an error status when it failed.
 */
import { metrics, SpanStatusCode, trace, type Attributes } from '@opentelemetry/api';
import type { SessionEvent } from 'sealed-session';

/** The attributes that tell events apart, without anything that grows with the number of users. */
function attributesOf(event: SessionEvent): Attributes {
  const attributes: Attributes = { 'session.event': event.type };
  switch (event.type) {
    case 'authenticate':
      attributes['session.outcome'] = event.authenticated ? 'authenticated' : event.reason;
      break;
    case 'sign_in.failed':
      attributes['session.cause'] = event.cause;
      if (event.providerCode) attributes['session.provider_code'] = event.providerCode;
      break;
    case 'refresh.succeeded':
    case 'refresh.failed':
      attributes['session.leader'] = event.leader;
      attributes['session.grace_hit'] = event.graceHit;
      if (event.type === 'refresh.failed') {
        attributes['session.reason'] = event.reason;
        attributes['session.retryable'] = event.retryable;
      }
      break;
    case 'jwks.fetched':
    case 'jwks.failed':
      attributes['session.trigger'] = event.trigger;
      if (event.type === 'jwks.failed') attributes['session.reason'] = event.reason;
      break;
    case 'store.fallback':
      attributes['session.code'] = event.code;
      break;
    case 'cookie.budget':
      attributes['session.fits'] = event.fits;
      break;
  }
  return attributes;
}

/**
 * An `onEvent` listener recording metrics and spans.
 *
 * @example
 * ```ts
 * const sessions = new SessionManager({ onEvent: openTelemetryListener() });
 * ```
 */
export function openTelemetryListener(scope = 'sealed-session'): (event: SessionEvent) => void {
  const meter = metrics.getMeter(scope);
  const tracer = trace.getTracer(scope);
  const counter = meter.createCounter('sealed_session.events', { description: 'sealed-session events, by type and outcome' });
  const durations = meter.createHistogram('sealed_session.duration', { unit: 'ms', description: 'Time spent by sign-ins, refreshes and JWKS fetches' });

  return (event) => {
    const attributes = attributesOf(event);
    counter.add(1, attributes);
    if (!('durationMs' in event)) return;
    durations.record(event.durationMs, attributes);
    const span = tracer.startSpan(`sealed_session.${event.type.split('.')[0]}`, {
      startTime: event.at - event.durationMs,
      attributes: 'sessionId' in event && event.sessionId ? { ...attributes, 'session.id': event.sessionId } : attributes,
    });
    if (event.type.endsWith('.failed')) span.setStatus({ code: SpanStatusCode.ERROR, message: String(attributes['session.reason'] ?? event.type) });
    span.end(event.at);
  };
}
