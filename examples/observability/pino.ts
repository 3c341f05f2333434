/**
 * sealed-session events as pino log lines: one JSON line per event, its fields as they are
 * (none holds a secret), the type as the message. Requests' authenticate outcomes are frequent,
 * so they log at `debug`; failures that need a look at `warn`; the rest at `info`.
 */
import type { Logger } from 'pino';
import type { SessionEvent } from 'sealed-session';

function levelOf(event: SessionEvent): 'debug' | 'info' | 'warn' {
  switch (event.type) {
    case 'authenticate':
      return 'debug';
    case 'sign_in.failed':
    case 'jwks.failed':
    case 'store.fallback':
      return 'warn';
    case 'refresh.failed':
      return event.retryable ? 'warn' : 'info';
    case 'cookie.budget':
      return event.fits ? 'info' : 'warn';
    default:
      return 'info';
  }
}

/**
 * An `onEvent` listener writing to `logger`.
 *
 * @example
 * ```ts
 * const sessions = new SessionManager({ onEvent: pinoListener(pino()) });
 * ```
 */
export function pinoListener(logger: Logger): (event: SessionEvent) => void {
  const log = logger.child({ component: 'sealed-session' });
  return (event) => {
    const { type, at, ...fields } = event;
    log[levelOf(event)]({ event: type, eventAt: new Date(at).toISOString(), ...fields }, type);
  };
}
