import { describe, expect, it } from 'vitest';
import { cssString } from '../../server/branding/css-string';

describe('cssString', () => {
  it('escapes what could end the CSS string or the <style> element, and keeps the rest', () => {
    expect(cssString('Smith & "Co" </style><script>')).toBe('Smith & \\22 Co\\22  \\3c /style\\3e \\3c script\\3e ');
    expect(cssString('back\\slash\nline')).toBe('back\\5c slash\\a line');
    expect(cssString('Émilie Dubois · Café')).toBe('Émilie Dubois · Café');
    expect(cssString(null)).toBe('');
  });
});
