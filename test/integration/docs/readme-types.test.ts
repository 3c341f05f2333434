/**
 * The README's TypeScript blocks compile under `strict` against the built package, imported by
 * its own name as an app imports it: each block becomes a module in a scratch project whose
 * `node_modules` holds this package (through its `exports`) beside the project's own packages.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { build, root } from '../cli/run-cli.js';

/** What the README's prose gives each block: the values it says come from elsewhere. */
const CONTEXT = `import type { SessionManager } from 'sealed-session';
declare global {
  const clientId: string;
  const apiKey: string;
  const cookiePassword: string;
  const redirectUri: string;
  const code: string;
  const codeVerifier: string;
  const password: string;
  const newPassword: string;
  const oldPassword: string;
  const sessions: SessionManager;
  function setCookie(sealedSession: string): void;
  function clearCookie(): void;
}
export {};
`;

interface Block {
  line: number;
  code: string;
}

/** The ```ts blocks of a Markdown text, with the line each starts on. */
function tsBlocks(markdown: string): Block[] {
  const blocks: Block[] = [];
  const lines = markdown.split('\n');
  for (let index = 0; index < lines.length; index++) {
    if (!/^```(ts|typescript)\s*$/.test(lines[index]!)) continue;
    const start = index + 1;
    while (index + 1 < lines.length && lines[index + 1] !== '```') index++;
    blocks.push({ line: start + 1, code: lines.slice(start, index + 1).join('\n') });
    index++;
  }
  return blocks;
}

let dir: string;

beforeAll(() => {
  build();
  dir = mkdtempSync(join(tmpdir(), 'readme-types-'));
  const modules = join(dir, 'node_modules');
  mkdirSync(modules);
  for (const entry of readdirSync(join(root, 'node_modules'))) {
    if (!entry.startsWith('.')) symlinkSync(join(root, 'node_modules', entry), join(modules, entry));
  }
  symlinkSync(root, join(modules, 'sealed-session'));
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('every ts block of the README compiles under strict against the built package', () => {
  const blocks = tsBlocks(readFileSync(join(root, 'README.md'), 'utf8'));
  expect(blocks.length).toBeGreaterThanOrEqual(4);
  const files = blocks.map((block) => `readme-line-${block.line}.ts`);
  blocks.forEach((block, index) => writeFileSync(join(dir, files[index]!), `${block.code}\nexport {};\n`));
  writeFileSync(join(dir, 'context.d.ts'), CONTEXT);
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'readme-app', private: true, type: 'module' }));
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        strict: true,
        target: 'ES2022',
        module: 'NodeNext',
        moduleResolution: 'NodeNext',
        lib: ['ES2023', 'DOM', 'DOM.Iterable'],
        types: ['node'],
        skipLibCheck: true,
        noEmit: true,
      },
      files: ['context.d.ts', ...files],
    }),
  );
  const result = spawnSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
  // Diagnostics name the README line the failing block starts on.
  expect(result.stdout + result.stderr).toBe('');
  expect(result.status).toBe(0);
});
