const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const MAX_NOTE_LENGTH = 400;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * What went wrong on a sign-in route: `message` is for the visitor and safe anywhere;
 * `developer` says what failed and what to check, and is shown only with error details on
 * (it may quote the provider's error, which a production page must not).
 */
export interface PageProblem {
  status: number;
  message: string;
  developer?: readonly string[];
}

/**
 * Whether error pages show their developer notes when the app does not say: outside
 * production (`NODE_ENV` other than `production`) on runtimes with a `process`, never on
 * others (workers, where no such convention exists).
 */
export function detailsByDefault(): boolean {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  return env !== undefined && env.NODE_ENV !== 'production';
}

/** One line of at most {@link MAX_NOTE_LENGTH} characters, without controls: notes quote outside text. */
export function note(text: string): string {
  // eslint-disable-next-line no-control-regex
  const line = text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
  return line.length > MAX_NOTE_LENGTH ? `${line.slice(0, MAX_NOTE_LENGTH)}…` : line;
}

/** A small, self-contained HTML error page (nothing echoed unescaped, nothing cached). */
export function errorPage(problem: PageProblem, retryHref: string, showDetails: boolean): Response {
  const notes = showDetails && problem.developer?.length ? problem.developer.map((text) => `<li>${escapeHtml(note(text))}</li>`).join('') : '';
  const details = notes
    ? `<section><h2>For the developer</h2><ul>${notes}</ul><p><small>Shown because NODE_ENV is not "production" or the handler's <code>errorDetails</code> option is on.</small></p></section>`
    : '';
  const html = `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>Sign-in problem</title><style>body{font:16px/1.5 system-ui,sans-serif;max-width:40rem;margin:4rem auto;padding:0 1rem;color:#1f2937}a{color:#4f46e5}section{margin-top:2rem;padding:1rem;border:1px solid #d1d5db;border-radius:.5rem;background:#f9fafb}h2{font-size:1rem;margin:0}li{overflow-wrap:anywhere}</style></head>
<body><h1>Sign-in problem</h1><p>${escapeHtml(problem.message)}</p><p><a href="${escapeHtml(retryHref)}">Try again</a></p>${details}</body></html>`;
  return new Response(html, { status: problem.status, headers: { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' } });
}

/** An error's name, code and message for a developer note: never its stack. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return `a thrown ${typeof error}`;
  const code = (error as { code?: unknown }).code;
  return `${error.name}${typeof code === 'string' ? ` (${code})` : ''}: ${error.message}`;
}
