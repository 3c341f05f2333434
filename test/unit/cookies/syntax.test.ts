import { describe, expect, it } from 'vitest';
import { utf8ByteLength } from '../../../src/cookies/index.js';

describe('utf8ByteLength', () => {
  it('counts UTF-8 bytes', () => {
    expect(utf8ByteLength('')).toBe(0);
    expect(utf8ByteLength('abc')).toBe(3);
    expect(utf8ByteLength('é€😀')).toBe(new TextEncoder().encode('é€😀').length);
    expect(utf8ByteLength('\ud800x')).toBe(4); // a lone surrogate is written as U+FFFD (3 bytes)
  });
});
