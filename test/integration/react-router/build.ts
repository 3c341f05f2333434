/**
 * Builds the React Router example app (examples/react-router) with `react-router build`, into
 * node_modules/.cache under a hash of everything the build reads, so a rerun with nothing
 * changed reuses it. Built into a temporary folder and renamed into place, so a build that was
 * interrupted is never served.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const EXAMPLE = join(ROOT, 'examples', 'react-router');
const CACHE = join(ROOT, 'node_modules', '.cache', 'sealed-session-react-router');
const SKIPPED = new Set(['build', '.react-router', 'node_modules']);

async function filesUnder(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) files.push(...(await filesUnder(path)));
    else files.push(path);
  }
  return files.sort();
}

async function contentHash(): Promise<string> {
  const hash = createHash('sha256');
  const files = [...(await filesUnder(EXAMPLE)), ...(await filesUnder(join(ROOT, 'src'))), join(ROOT, 'package-lock.json')];
  for (const file of files) hash.update(relative(ROOT, file)).update('\0').update(await readFile(file)).update('\0');
  return hash.digest('hex').slice(0, 16);
}

/** The server entry of the built example (`<build>/server/index.js`), building it when its sources changed. */
export async function buildExample(): Promise<string> {
  const target = join(CACHE, await contentHash());
  const server = join(target, 'server', 'index.js');
  if (existsSync(server)) return server;
  await mkdir(CACHE, { recursive: true });
  const temporary = `${target}.${process.pid}.tmp`;
  await rm(temporary, { recursive: true, force: true });
  const cli = join(ROOT, 'node_modules', '@react-router', 'dev', 'bin.js');
  await run(process.execPath, [cli, 'build'], { cwd: EXAMPLE, env: { ...process.env, REACT_ROUTER_BUILD_DIRECTORY: temporary } });
  await rename(temporary, target).catch(async (error: NodeJS.ErrnoException) => {
    // Another run built the same sources meanwhile: theirs is as good.
    if (!existsSync(server)) throw error;
    await rm(temporary, { recursive: true, force: true });
  });
  return server;
}
