/**
 * Builds what the runtime matrix runs: the package compiled as `npm run build` compiles it (into
 * a private folder, so a build in progress in the work tree is never read half-written), then
 * esbuild bundles of the conformance entries and the examples on top of it.
 *
 * Bundles rather than bare imports so that Deno and workerd, which do not read node_modules
 * the way Node does, run exactly the same code as Node and Bun. `sealed-session` is aliased to
 * the compiled package, as an app's bundler would resolve it.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import { join } from 'node:path';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';

const run = promisify(execFile);

/** Export conditions wrangler uses when it bundles for workerd. */
export const WORKER_CONDITIONS = ['workerd', 'worker', 'browser'];

/** Compiles `src/` with the project's build config into `<cache>/dist`. */
export async function compilePackage(root, cache) {
  const outDir = join(cache, 'dist');
  await rm(outDir, { recursive: true, force: true });
  const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
  const args = [tsc, '-p', join(root, 'tsconfig.build.json'), '--outDir', outDir, '--declaration', 'false', '--declarationMap', 'false', '--sourceMap', 'false'];
  try {
    await run(process.execPath, args, { cwd: root });
  } catch (error) {
    // tsc still emits on type errors; those belong to the typecheck step, not to this matrix.
    const output = `${error.stdout ?? ''}${error.stderr ?? ''}`.trim();
    console.error(`warning: tsc reported errors (emitted anyway):\n${output.split('\n').slice(0, 10).join('\n')}`);
  }
  return outDir;
}

function bundleOptions(dist, entry, outfile, conditions) {
  return {
    entryPoints: [entry],
    outfile,
    bundle: true,
    format: 'esm',
    // `neutral` assumes no runtime at all: a Node built-in is an error, not an external.
    platform: 'neutral',
    mainFields: ['module', 'main'],
    conditions,
    target: 'es2022',
    alias: { 'sealed-session': dist },
    logLevel: 'silent',
  };
}

/** Bundles one entry; resolves to the output path. */
export async function bundle(dist, entry, outfile, conditions = []) {
  await esbuild.build(bundleOptions(dist, entry, outfile, conditions));
  return outfile;
}

const NODE_BUILTINS = new Set(builtinModules.flatMap((name) => [name, `node:${name}`]));
const isNodeBuiltin = (path) => path.startsWith('node:') || NODE_BUILTINS.has(path.split('/')[0]);
/** A module-loading expression naming a Node built-in, as it would survive into a bundle. */
const BUILTIN_LOAD = /\b(?:import|require)\s*\(\s*["'](?:node:[\w/]+)["']\s*\)|\bfrom\s*["']node:[\w/]+["']/g;

/**
 * Entry points not bundled here: the Node-only ones (by design, or for `node:crypto`), and the
 * Next.js ones, which `next build` bundles in their own test. Every other subpath of `exports`
 * must bundle for a worker.
 */
export const UNBUNDLED_EXPORTS = new Set(['./express', './redis', './fastify', './koa', './react-router', './next', './next/components']);

/** The Web-standard entry points: `exports` of package.json with a `default`, minus the unbundled ones. */
export function webEntryPoints(root) {
  const { exports } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  return Object.entries(exports)
    .filter(([subpath, target]) => typeof target === 'object' && !UNBUNDLED_EXPORTS.has(subpath))
    .map(([subpath, target]) => ({ subpath, file: target.default.replace(/^\.\/dist\//, '') }));
}

/**
 * The portability check of one entry point: bundles it from the compiled package for a worker
 * (workerd's conditions, platform `browser`, nothing external) and lists every Node built-in
 * that it reaches. The lazy `node:crypto` fast path loads its module through a variable, out of
 * the bundler's sight, so a clean entry resolves none; any other reference fails the bundle or
 * shows up here.
 */
async function checkEntry(dist, { subpath, file }) {
  const problems = [];
  let result;
  try {
    result = await esbuild.build({
      entryPoints: [join(dist, file)],
      bundle: true,
      write: false,
      metafile: true,
      format: 'esm',
      platform: 'browser',
      conditions: WORKER_CONDITIONS,
      logLevel: 'silent',
    });
  } catch (error) {
    for (const message of error.errors ?? [{ text: String(error) }]) {
      problems.push(`${subpath}: ${message.location?.file ?? ''}:${message.location?.line ?? ''} ${message.text}`);
    }
    return { subpath, problems, bytes: 0 };
  }
  for (const [input, { imports }] of Object.entries(result.metafile.inputs)) {
    for (const imported of imports) {
      if (isNodeBuiltin(imported.path)) problems.push(`${subpath}: ${input} imports ${imported.path}`);
    }
  }
  const text = result.outputFiles[0].text;
  for (const match of text.matchAll(BUILTIN_LOAD)) problems.push(`${subpath}: bundle loads ${match[0]}`);
  return { subpath, problems, bytes: text.length };
}

/** The portability check of the package root and every Web-standard subpath. */
export async function checkWorkerBundles(root, dist) {
  const entries = await Promise.all(webEntryPoints(root).map((entry) => checkEntry(dist, entry)));
  const problems = entries.flatMap((entry) => entry.problems);
  return { ok: problems.length === 0, problems, entries: entries.map(({ subpath, bytes }) => ({ subpath, bytes })) };
}

/** Everything the matrix runs, under `cache`. */
export async function buildAll(root, cache) {
  await mkdir(cache, { recursive: true });
  const dist = await compilePackage(root, cache);
  const here = join(root, 'test', 'runtimes');
  const [portability, cli, worker, cloudflare] = await Promise.all([
    checkWorkerBundles(root, dist),
    bundle(dist, join(here, 'entry-cli.js'), join(cache, 'conformance.js')),
    bundle(dist, join(here, 'entry-worker.js'), join(cache, 'conformance-worker.js'), WORKER_CONDITIONS),
    bundle(dist, join(root, 'examples', 'cloudflare-worker.ts'), join(cache, 'cloudflare-worker.js'), WORKER_CONDITIONS),
  ]);
  return { dist, portability, bundles: { cli, worker, cloudflare } };
}
