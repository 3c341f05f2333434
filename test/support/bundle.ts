/**
 * A TypeScript fixture bundled into one CommonJS file for a child process: plain Node runs it,
 * without vitest's loader.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

/** Bundles the fixture at `entry` into a temporary directory; `dispose` removes it. */
export async function bundleForNode(entry: URL): Promise<{ file: string; dispose: () => Promise<void> }> {
  const source = fileURLToPath(entry);
  const dir = await mkdtemp(join(tmpdir(), 'sealed-session-bundle-'));
  const file = join(dir, basename(source).replace(/\.ts$/, '.cjs'));
  await build({ entryPoints: [source], bundle: true, platform: 'node', format: 'cjs', target: 'node20', outfile: file, logLevel: 'error' });
  return { file, dispose: () => rm(dir, { recursive: true, force: true }) };
}
