/**
 * The process streams the commands talk to, behind an interface so that commands stay free of
 * globals.
 */
import { CliInputError, CliUsageError } from './errors.js';

/** What a command may read and write. */
export interface CliIo {
  readonly stdout: { write(text: string): unknown; readonly isTTY?: boolean };
  readonly stderr: { write(text: string): unknown };
  readonly stdin: AsyncIterable<string | Uint8Array> & { readonly isTTY?: boolean };
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Inputs larger than this are refused: a cookie is 4 KB, a session JSON a few KB. */
const MAX_INPUT_BYTES = 1024 * 1024;

/** The io of the running process. */
export function processIo(): CliIo {
  process.stdin.setEncoding('utf8');
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, env: process.env };
}

/** Reads all of stdin as UTF-8, bounded. */
export async function readStdin(io: CliIo): Promise<string> {
  const decoder = new TextDecoder();
  let text = '';
  for await (const chunk of io.stdin) {
    text += typeof chunk === 'string' ? chunk : decoder.decode(chunk, { stream: true });
    if (text.length > MAX_INPUT_BYTES) {
      throw new CliInputError(`Input on stdin is larger than ${MAX_INPUT_BYTES} bytes`, { code: 'cli_bad_input' });
    }
  }
  return text + decoder.decode();
}

/**
 * The command's input: the positional argument, or stdin when it is absent or `-`. Refuses to
 * wait on an interactive terminal, where the user most likely forgot the argument.
 */
export async function readInput(io: CliIo, argument: string | undefined, command: string, what: string): Promise<string> {
  let text: string;
  if (argument !== undefined && argument !== '-') {
    text = argument;
  } else {
    if (io.stdin.isTTY) throw new CliUsageError(`no ${what} given: pass it as an argument or pipe it on stdin`, { command });
    text = await readStdin(io);
  }
  text = text.trim();
  if (text === '') throw new CliInputError(`The ${what} is empty`, { code: 'cli_empty_input' });
  return text;
}
