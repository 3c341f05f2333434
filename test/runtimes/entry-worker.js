/**
 * Entry for workerd: a module Worker that runs the suites on `POST /run` and answers with their
 * results as JSON (any other request is the driver's readiness probe). The context is a `json`
 * binding written by the driver.
 */
import { loadPrimitives } from 'sealed-session/crypto/primitives.js';
import { runConformance } from './conformance.js';

export default {
  /** @param {Request} request @param {{ CONTEXT: import('./conformance.js').ConformanceContext }} env */
  async fetch(request, env) {
    if (request.method !== 'POST' || new URL(request.url).pathname !== '/run') return new Response(null, { status: 204 });
    const { backend } = await loadPrimitives();
    const results = await runConformance(env.CONTEXT);
    return Response.json({ backend, results });
  },
};
