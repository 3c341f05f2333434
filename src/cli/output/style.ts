/**
 * Terminal styling: ANSI colours only when stdout is a terminal and `NO_COLOR` is unset
 * (https://no-color.org), so that pipes and files get plain text.
 */

/** Functions that wrap text in a style, or return it unchanged when colour is off. */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/** Whether to colour output written to `stdout`. */
export function colourWanted(stdout: { readonly isTTY?: boolean }, env: Readonly<Record<string, string | undefined>>): boolean {
  const noColor = env.NO_COLOR;
  return stdout.isTTY === true && (noColor === undefined || noColor === '') && env.TERM !== 'dumb';
}

function sgr(open: number, close: number, enabled: boolean): (text: string) => string {
  return enabled ? (text) => `\u001b[${open}m${text}\u001b[${close}m` : (text) => text;
}

/** A {@link Style}, active or not. */
export function createStyle(enabled: boolean): Style {
  return {
    enabled,
    bold: sgr(1, 22, enabled),
    dim: sgr(2, 22, enabled),
    green: sgr(32, 39, enabled),
    red: sgr(31, 39, enabled),
    yellow: sgr(33, 39, enabled),
    cyan: sgr(36, 39, enabled),
  };
}
