import { describe, expect, it } from 'vitest';
import { parseCookieHeader } from '../../../src/cookies/index.js';

const IRON = 'Fe26.2*1*3c2a5d7e*nT0XJHcYvAqkRa-3PjGkvA*bWl4ZWQtY2lwaGVydGV4dA*1735689600000*9f8e7d*Qm9ndXNITUFD~2';
const FERNET = 'gAAAAABnY2xvdWRzLWFyZS1wcmV0dHktZmx1ZmZ5LWFuZC13aGl0ZQ==';

describe('parseCookieHeader', () => {
  it('parses pairs and trims whitespace', () => {
    const cookies = parseCookieHeader('a=1; b = 2 ;\tc=3\t');
    expect([...cookies]).toEqual([
      ['a', '1'],
      ['b', '2'],
      ['c', '3'],
    ]);
  });

  it('reads from a Headers object', () => {
    const headers = new Headers({ cookie: 'wos-session=abc; other=1' });
    expect(parseCookieHeader(headers).get('wos-session')).toBe('abc');
    expect(parseCookieHeader(new Headers()).size).toBe(0);
  });

  it('returns an empty map for absent or non-string input', () => {
    expect(parseCookieHeader(undefined).size).toBe(0);
    expect(parseCookieHeader(null).size).toBe(0);
    expect(parseCookieHeader('').size).toBe(0);
    expect(parseCookieHeader(42 as unknown as string).size).toBe(0);
    expect(parseCookieHeader({ get: () => { throw new Error('boom'); } }).size).toBe(0);
  });

  it('skips malformed pairs', () => {
    const cookies = parseCookieHeader('novalue; =orphan; ok=1;; ; also=2; trailing');
    expect([...cookies]).toEqual([
      ['ok', '1'],
      ['also', '2'],
    ]);
  });

  it('keeps the first of duplicate names (the most specific path comes first)', () => {
    expect(parseCookieHeader('wos-session=new; wos-session=old').get('wos-session')).toBe('new');
  });

  it('keeps `=` inside values', () => {
    expect(parseCookieHeader(`wos-session=${FERNET}`).get('wos-session')).toBe(FERNET);
    expect(parseCookieHeader('a==b=').get('a')).toBe('=b=');
  });

  it('unwraps double-quoted values', () => {
    expect(parseCookieHeader('a="quoted"; b=""; c="').get('a')).toBe('quoted');
    expect(parseCookieHeader('b=""').get('b')).toBe('');
    expect(parseCookieHeader('c="').get('c')).toBe('"');
  });

  it('percent-decodes valid sequences and keeps the raw value otherwise', () => {
    const cookies = parseCookieHeader('enc=Fe26.2%2A1%2Aabc~2; bad=100%; utf=%E2%82%AC; lone=%E2%82; mixed=%zz%41');
    expect(cookies.get('enc')).toBe('Fe26.2*1*abc~2');
    expect(cookies.get('bad')).toBe('100%');
    expect(cookies.get('utf')).toBe('€');
    expect(cookies.get('lone')).toBe('%E2%82');
    expect(cookies.get('mixed')).toBe('%zz%41');
  });

  it('leaves sealed values untouched', () => {
    const cookies = parseCookieHeader(`wos-session=${IRON}; py=${FERNET}`);
    expect(cookies.get('wos-session')).toBe(IRON);
    expect(cookies.get('py')).toBe(FERNET);
  });

  it('does not confuse names with Object.prototype members', () => {
    const cookies = parseCookieHeader('__proto__=x; constructor=y; toString=z');
    expect(cookies.get('__proto__')).toBe('x');
    expect(cookies.get('constructor')).toBe('y');
    expect(cookies.size).toBe(3);
  });

  it('ignores headers over the length bound', () => {
    const huge = `a=1; ${'x'.repeat(70_000)}=2`;
    expect(parseCookieHeader(huge).size).toBe(0);
    expect(parseCookieHeader(huge, { maxLength: 100_000 }).get('a')).toBe('1');
  });

  it('stops after maxPairs pairs', () => {
    const header = Array.from({ length: 50 }, (_, i) => `c${i}=${i}`).join('; ');
    expect(parseCookieHeader(header, { maxPairs: 10 }).size).toBe(10);
    expect(parseCookieHeader(header).size).toBe(50);
  });

  it('stays linear on pathological input', () => {
    const inputs = [';'.repeat(65_000) + '=', 'a'.repeat(65_000), '=;'.repeat(32_000), ' '.repeat(65_000) + 'a=b'];
    const started = performance.now();
    for (const input of inputs) parseCookieHeader(input);
    expect(performance.now() - started).toBeLessThan(500);
  });
});
