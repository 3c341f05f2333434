/**
 * Runtime detection for the `node:crypto` fast path.
 *
 * WebCrypto works everywhere but every call is a promise round trip through a thread pool;
 * on Node the synchronous primitives of `node:crypto` are several times faster for the small
 * inputs a session cookie has. The module is loaded lazily so that importing this package on
 * a worker runtime never pulls in a Node built-in.
 */
import type * as NodeCryptoModule from 'node:crypto';

export type NodeCrypto = typeof NodeCryptoModule;

/*
 * Bundlers resolve every string-literal `import()` they see, and a worker build (wrangler and
 * esbuild for workerd, Next.js for the edge runtime, Vite for the browser) fails on
 * `import('node:crypto')` or drags a polyfill in. Passing the name through a parameter keeps it
 * out of their sight, so one build serves every runtime: Node-like ones take the fast path at
 * run time, the others never evaluate the import. `npm run test:runtimes` checks that a worker
 * bundle of the package root resolves no Node built-in.
 */
const NODE_CRYPTO = 'node:crypto';

function importHidden(specifier: string): Promise<unknown> {
  return import(/* webpackIgnore: true */ /* @vite-ignore */ specifier);
}

let loaded: NodeCrypto | null | undefined;
let loading: Promise<NodeCrypto | null> | undefined;

function isNodeLike(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string';
}

/** The `node:crypto` module when the runtime has one, else `null`. Memoized. */
export function nodeCrypto(): Promise<NodeCrypto | null> {
  if (loaded !== undefined) return Promise.resolve(loaded);
  loading ??= (isNodeLike()
    ? importHidden(NODE_CRYPTO).then(
        (mod) => mod as NodeCrypto,
        () => null,
      )
    : Promise.resolve(null)
  ).then((mod) => (loaded = mod));
  return loading;
}

/** The `node:crypto` module if it has already been loaded, `null` if absent, `undefined` if not yet known. */
export function nodeCryptoIfLoaded(): NodeCrypto | null | undefined {
  return loaded;
}

/** Forces the WebCrypto path (used by tests to check both paths produce the same bytes). */
export function disableNodeCrypto(disabled: boolean): void {
  loaded = disabled ? null : undefined;
  loading = undefined;
}
