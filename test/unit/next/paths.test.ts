import { describe, expect, test } from 'vitest';
import { compilePathPattern, pathMatcher } from '../../../src/next/paths.js';

const cases: Array<[pattern: string, matches: string[], misses: string[]]> = [
  ['/', ['/', ''], ['/a', '//']],
  ['/about', ['/about', '/about/'], ['/aboutus', '/about/team', '/About', '/x/about']],
  ['/about/', ['/about', '/about/'], ['/about/x']],
  ['/blog/:slug', ['/blog/hello', '/blog/hello/'], ['/blog', '/blog/', '/blog/a/b']],
  ['/docs/:path*', ['/docs', '/docs/', '/docs/a', '/docs/a/b/c'], ['/doc', '/docsx', '/other/docs']],
  ['/api/:rest+', ['/api/a', '/api/a/b'], ['/api', '/api/']],
  ['/users/:id?', ['/users', '/users/42'], ['/users/42/edit']],
  ['/public/(.*)', ['/public/', '/public/a/b.png'], ['/publicx', '/private/a']],
  ['/(.*)', ['/', '/anything/at/all'], []],
  ['/files/:name(\\d+)', ['/files/123'], ['/files/abc', '/files/']],
  ['/a.b', ['/a.b'], ['/axb']],
  ['/team/:team/settings', ['/team/acme/settings'], ['/team/settings', '/team/a/b/settings']],
];

describe('path patterns (Next.js matcher syntax)', () => {
  for (const [pattern, matches, misses] of cases) {
    test(pattern, () => {
      const regex = compilePathPattern(pattern);
      for (const path of matches) expect(regex.test(path), `${pattern} should match ${path}`).toBe(true);
      for (const path of misses) expect(regex.test(path), `${pattern} should not match ${path}`).toBe(false);
    });
  }

  test('a list matches when any pattern does; an empty list matches nothing', () => {
    const open = pathMatcher(['/', '/pricing', '/blog/:slug*']);
    expect(['/', '/pricing', '/blog', '/blog/a/b'].map(open)).toEqual([true, true, true, true]);
    expect(['/dashboard', '/pricingx', '/admin/blog'].map(open)).toEqual([false, false, false]);
    expect(pathMatcher([])('/')).toBe(false);
  });

  test('regular-expression characters in a literal pattern are literal', () => {
    const regex = compilePathPattern('/a+b$c^d|e');
    expect(regex.test('/a+b$c^d|e')).toBe(true);
    expect(regex.test('/aab$c^d|e')).toBe(false);
  });

  test('a pattern that is no path is refused at once', () => {
    for (const bad of ['', 'about', '*', 'https://example.com/'] as string[]) {
      expect(() => compilePathPattern(bad)).toThrow(TypeError);
    }
    expect(() => pathMatcher(['/ok', 'bad'])).toThrow(TypeError);
  });
});
