/**
 * What `npm publish` would ship: the license, where the project lives, source maps whose
 * sources are in the package, and README links that lead somewhere from the npm page.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';
import { beforeAll, expect, test } from 'vitest';
import { build, root } from '../cli/run-cli.js';

const REPOSITORY = 'https://github.com/sealed-session/sealed-session';
let packed: Set<string>;

beforeAll(() => {
  build();
  const result = spawnSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
  const [pack] = JSON.parse(result.stdout) as Array<{ files: Array<{ path: string }> }>;
  packed = new Set(pack!.files.map((file) => file.path));
});

test('the package carries the MIT license and says where the project lives', () => {
  expect(packed.has('LICENSE')).toBe(true);
  expect(readFileSync(join(root, 'LICENSE'), 'utf8')).toMatch(/^MIT License\n\nCopyright \(c\) sealed-session contributors\n/);
  const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  expect(pkg).toMatchObject({
    license: 'MIT',
    repository: { type: 'git', url: `git+${REPOSITORY}.git` },
    homepage: `${REPOSITORY}#readme`,
    bugs: { url: `${REPOSITORY}/issues` },
  });
});

test('every source map in the package points at sources the package holds', () => {
  const maps = [...packed].filter((path) => path.endsWith('.map'));
  expect(maps.length).toBeGreaterThan(50);
  for (const map of maps) {
    const { sources } = JSON.parse(readFileSync(join(root, map), 'utf8')) as { sources: string[] };
    for (const source of sources) expect(packed, `${map} → ${source}`).toContain(posix.join(posix.dirname(map), source));
  }
});

test('README links are absolute or anchors: the npm page has no files to resolve them against', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const targets = [...readme.matchAll(/\]\(([^)\s]+)\)/g)].map((match) => match[1]!);
  expect(targets.length).toBeGreaterThan(5);
  for (const target of targets) expect(target).toMatch(/^(https:\/\/|#)/);
  for (const target of targets.filter((link) => link.startsWith(`${REPOSITORY}/blob/main/`))) {
    expect(existsSync(join(root, target.slice(`${REPOSITORY}/blob/main/`.length))), target).toBe(true);
  }
});
