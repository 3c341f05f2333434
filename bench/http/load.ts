/**
 * The load generator for case 4, in its own process so it does not share an event loop with
 * the server: autocannon for a warm-up, then for the measured duration. Reads its settings as
 * JSON from the file named on the command line; prints the result as one JSON line.
 */
import autocannon from 'autocannon';
import { readFile } from 'node:fs/promises';

interface LoadSettings {
  url: string;
  cookieName: string;
  /** One cookie: every request carries it. Several: each request takes the next one. */
  cookies: string[];
  connections: number;
  durationSec: number;
  warmupSec: number;
}

const settings = JSON.parse(await readFile(process.argv[2]!, 'utf8')) as LoadSettings;
let next = 0;
const cookieHeader = (value: string) => `${settings.cookieName}=${value}`;
const options = (duration: number) => ({
  url: settings.url,
  connections: settings.connections,
  duration,
  ...(settings.cookies.length === 1
    ? { headers: { cookie: cookieHeader(settings.cookies[0]!) } }
    : {
        requests: [{
          method: 'GET',
          setupRequest: (request: { headers?: Record<string, string> }) => ({
            ...request,
            headers: { ...request.headers, cookie: cookieHeader(settings.cookies[next++ % settings.cookies.length]!) },
          }),
        }],
      }),
});

await autocannon(options(settings.warmupSec));
const result = await autocannon(options(settings.durationSec));
console.log(JSON.stringify({
  requestsPerSec: result.requests.average,
  total: result.requests.total,
  latencyP50: result.latency.p50,
  latencyP99: result.latency.p99,
  latencyMean: result.latency.mean,
  non2xx: result.non2xx,
  errors: result.errors,
  timeouts: result.timeouts,
}));
