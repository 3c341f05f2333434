/**
 * Runs the built `sealed-session` binary the way a user does: `node dist/cli/main.js …`, in a
 * child process, with stdin and a clean environment. Asynchronous on purpose: the emulator
 * serving the JWKS runs in the test process and must keep answering.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('../../../', import.meta.url));
export const binary = fileURLToPath(new URL('../../../dist/cli/main.js', import.meta.url));

/** What one run printed and how it ended. */
export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Every run's output, so a test can check that no secret ever leaked. */
export const transcript: CliResult[] = [];

/** Compiles `src/` into `dist/` once per test file. */
export function build(): void {
  const result = spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, encoding: 'utf8' });
  // Type errors elsewhere in the tree do not stop emit; only a missing binary is fatal.
  if (!existsSync(binary)) throw new Error(`build produced no ${binary}:\n${result.stdout}${result.stderr}`);
}

/** Runs the binary with `args`, piping `input` to stdin, with only `env` beyond PATH. */
export function cli(args: readonly string[], options: { input?: string; env?: Record<string, string> } = {}): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binary, ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...options.env },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      const result = { code, stdout, stderr };
      transcript.push(result);
      resolve(result);
    });
    // A command that fails on its arguments exits without reading stdin: the pipe may be gone.
    child.stdin.on('error', () => undefined);
    child.stdin.end(options.input ?? '');
  });
}
