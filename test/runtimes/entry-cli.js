/**
 * Entry for runtimes started from the command line (Node, Bun, Deno): the context comes from an
 * environment variable, each suite's result goes to stdout as one JSON line.
 *
 * The deep imports reach the same module instances as the package root (the bundle holds one
 * copy of each): they force the WebCrypto path on Node and report which backend answered.
 */
import { disableNodeCrypto } from 'sealed-session/crypto/runtime.js';
import { loadPrimitives } from 'sealed-session/crypto/primitives.js';
import { runConformance } from './conformance.js';

const env = (name) => globalThis.process?.env?.[name] ?? globalThis.Deno?.env.get(name);

const context = JSON.parse(env('SEALED_SESSION_CONFORMANCE') ?? 'null');
if (!context) throw new Error('SEALED_SESSION_CONFORMANCE is not set: run this through test/runtimes/run.js');
if (env('SEALED_SESSION_WEBCRYPTO') === '1') disableNodeCrypto(true);

const { backend } = await loadPrimitives();
console.log(JSON.stringify({ suite: 'runtime', backend }));
await runConformance(context, (result) => console.log(JSON.stringify(result)));
console.log(JSON.stringify({ suite: 'done' }));
