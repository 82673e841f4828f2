import path from 'node:path';
import { wcagContrast } from 'culori';
import { describe, expect, it } from 'vitest';
import { accentAdvice } from '../../server/branding/branding.service';
import { AA_TEXT, contrastRatio, normaliseHex, paletteOf } from '../../server/branding/palette';
import { createTranslators, loadCatalogues } from '../../server/i18n/translator';

const translate = createTranslators(loadCatalogues(path.resolve(import.meta.dirname, '../../views/locales')));
const english = translate('en');

const WHITE = '#ffffff';
const SOFT = '#eef1f5';

describe('the palette of an accent colour', () => {
  it('keeps an accent that white text reads on, and says nothing about it', () => {
    const palette = paletteOf('#1d5b86');
    expect(palette.brand).toBe('#1d5b86');
    expect(palette.adjusted).toBe(false);
    expect(accentAdvice(palette, english)).toBeNull();
  });

  it('darkens a light accent in its own hue until text on it and in it meets WCAG AA, and says so', () => {
    const palette = paletteOf('#f5c400');
    expect(palette.adjusted).toBe(true);
    expect(palette.contrastWithWhite).toBeLessThan(AA_TEXT);
    expect(wcagContrast(palette.brand, WHITE)).toBeGreaterThanOrEqual(AA_TEXT);
    expect(wcagContrast(palette.brand, SOFT)).toBeGreaterThanOrEqual(AA_TEXT);
    expect(accentAdvice(palette, english)).toContain(`${palette.accent} is too light for text`);
    expect(accentAdvice(palette, english)).toContain(palette.brand);
    expect(accentAdvice(palette, translate('de'))).toContain(`${palette.accent} ist für Text zu hell`);
  });

  it('gives every accent, light or dark, shades that pass: brand 4.5:1 on the lightest background, the dark shade 7:1 with white, its soft tint under dark text', () => {
    const accents = ['#ffffff', '#000000', '#ffff00', '#00ffff', '#ff00ff', '#f5c400', '#7dd3fc', '#a3e635', '#0f766e', '#991b1b', '#fecaca', '#808080'];
    for (const accent of accents) {
      const palette = paletteOf(accent);
      expect(wcagContrast(palette.brand, SOFT), accent).toBeGreaterThanOrEqual(AA_TEXT);
      expect(wcagContrast(palette.brandDark, WHITE), accent).toBeGreaterThanOrEqual(7);
      expect(wcagContrast(palette.brandDark, palette.brandSoft), accent).toBeGreaterThanOrEqual(AA_TEXT);
    }
  });

  it('reads hex codes only, and rounds ratios down so that 4.5 never stands for 4.499', () => {
    expect(normaliseHex(' #0F7 ')).toBe('#00ff77');
    expect(normaliseHex('0f766e')).toBe('#0f766e');
    expect(normaliseHex('teal')).toBeNull();
    expect(normaliseHex('#12345')).toBeNull();
    expect(contrastRatio('#767676', WHITE)).toBe(4.54);
    expect(contrastRatio(WHITE, WHITE)).toBe(1);
  });
});
