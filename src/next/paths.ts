/**
 * Path patterns of `middlewareAuth.unauthenticatedPaths` and `signUpPaths`, in the syntax of
 * Next.js matchers and authkit-nextjs (path-to-regexp 6): `/about`, `/blog/:slug`,
 * `/docs/:path*` (zero or more segments), `/api/:rest+` (one or more), `/users/:id?`,
 * `/public/(.*)`. A pattern matches the whole path, with or without a trailing slash.
 */

// A parameter or an unnamed group, with the `/` before it and its modifier.
const TOKEN = /(\/?)(?::([A-Za-z0-9_]+)(?:\(((?:[^()\\]|\\.)+)\))?|\(((?:[^()\\]|\\.)+)\))([?*+]?)/g;
const SEGMENT = '[^\\/#\\?]+?';

function escape(text: string): string {
  return text.replace(/[.+*?^${}()[\]|/\\]/g, '\\$&');
}

function tokenSource(prefix: string, pattern: string, modifier: string): string {
  const slash = escape(prefix);
  switch (modifier) {
    case '?':
      return `(?:${slash}(?:${pattern}))?`;
    case '+':
      return `(?:${slash}(?:${pattern})(?:${slash}(?:${pattern}))*)`;
    case '*':
      return `(?:${slash}(?:${pattern})(?:${slash}(?:${pattern}))*)?`;
    default:
      return `${slash}(?:${pattern})`;
  }
}

/**
 * The regular expression of one pattern, matched against the path as the request has it
 * (percent-encoded).
 *
 * @throws {TypeError} when the pattern is not a path or compiles to no regular expression.
 */
export function compilePathPattern(pattern: string): RegExp {
  if (typeof pattern !== 'string' || !pattern.startsWith('/')) throw new TypeError(`path pattern must start with "/": ${JSON.stringify(pattern)}`);
  const path = pattern;
  let source = '';
  let last = 0;
  for (const match of path.matchAll(TOKEN)) {
    source += escape(path.slice(last, match.index));
    source += tokenSource(match[1] ?? '', match[3] ?? match[4] ?? SEGMENT, match[5] ?? '');
    last = match.index + match[0].length;
  }
  source += escape(path.slice(last));
  if (source.endsWith('\\/')) source = source.slice(0, -2);
  return new RegExp(`^${source}[\\/#\\?]?$`);
}

/**
 * A matcher for a list of patterns, compiled once.
 *
 * @throws {TypeError} when a pattern is invalid: at startup, not on the first request.
 */
export function pathMatcher(patterns: readonly string[]): (pathname: string) => boolean {
  const compiled = patterns.map(compilePathPattern);
  return (pathname) => compiled.some((regex) => regex.test(pathname));
}
