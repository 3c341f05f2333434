/**
 * Runtime detection for `node:crypto`, whose synchronous calls spare the promise round trips of
 * WebCrypto. Loaded lazily, so importing this package on a worker runtime pulls in no Node built-in.
 */
import type * as NodeCryptoModule from 'node:crypto';

export type NodeCrypto = typeof NodeCryptoModule;

// Bundlers resolve every string-literal `import()`, and a worker build fails on `node:crypto` or
// drags in a polyfill; passing the name through a parameter hides it, so one build serves all runtimes.
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

/** Forces the WebCrypto path, so tests can check that both backends produce the same bytes. */
export function disableNodeCrypto(disabled: boolean): void {
  loaded = disabled ? null : undefined;
  loading = undefined;
}
