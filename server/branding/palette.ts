/**
 * The shades pages and emails use, derived from the practice's accent colour so that every text
 * stays readable (WCAG 2.1 AA, 4.5:1 for text): the accent itself only ever fills thin decorative
 * bands; links, buttons (white text), headings' rules and the top bar use the accent, or a darker
 * shade of its hue where the accent is too light for it.
 */
import { clampChroma, formatHex, oklch, wcagContrast } from 'culori';

/** WCAG 2.1 AA for normal text. */
export const AA_TEXT = 4.5;
const WHITE = '#ffffff';
/**
 * The lightest background that brand-coloured text and white-on-brand buttons sit on besides
 * white: the pages' --soft (a badge, a contents chip). Reaching 4.5:1 against it gives more
 * against white and the page background.
 */
const LIGHTEST_BACKGROUND = '#eef1f5';
/** The top bar and hovered buttons: white text on it reads at 7:1 (AAA), as the default blue does. */
const DARK_TARGET = 7;
/** How much darker (OKLCH lightness) the hover and top-bar shade is at least. */
const HOVER_STEP = 0.06;

export interface Palette {
  /** As chosen, '#rrggbb': decorative bands only. */
  accent: string;
  /** Links, buttons with white text, rules: the accent if it reads at 4.5:1 on every light background, else darker. */
  brand: string;
  /** The top bar, hovered buttons, text on `brandSoft`: at least 7:1 with white. */
  brandDark: string;
  /** A near-white tint of the hue, behind `brandDark` text. */
  brandSoft: string;
  /** The accent's contrast with white text, rounded down to two decimals. */
  contrastWithWhite: number;
  /** True when `brand` is not the accent itself (the settings page says so, and why). */
  adjusted: boolean;
}

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * '#rrggbb' in lower case for '#RGB', '#rrggbb' (with or without '#'), else null.
 *
 * @example
 * normaliseHex('#0F7'); // '#00ff77'
 * normaliseHex('teal'); // null
 */
export function normaliseHex(input: string): string | null {
  const match = HEX.exec(input.trim());
  if (!match) return null;
  const digits = match[1]!.toLowerCase();
  return `#${digits.length === 3 ? [...digits].map((digit) => digit + digit).join('') : digits}`;
}

/** The contrast ratio of two colours, rounded down to two decimals (so "4.50" is never 4.499). */
export function contrastRatio(a: string, b: string): number {
  return Math.floor(wcagContrast(a, b) * 100) / 100;
}

/** The colour with its OKLCH lightness lowered step by step (hue kept) until `accept` holds. */
function darkenedUntil(hex: string, accept: (candidate: string) => boolean): string {
  const start = oklch(hex)!;
  for (let lightness = start.l; lightness > 0; lightness -= 0.005) {
    const candidate = formatHex(clampChroma({ ...start, l: lightness }, 'oklch'));
    if (accept(candidate)) return candidate;
  }
  return '#000000';
}

/**
 * The shades of a '#rrggbb' accent colour.
 *
 * @example
 * paletteOf('#1d5b86').brand;    // '#1d5b86' (reads at 6.4:1 on #eef1f5: kept)
 * paletteOf('#f5c400').brand;    // a dark ochre of the same hue, at least 4.5:1 on #eef1f5
 * paletteOf('#f5c400').adjusted; // true
 */
export function paletteOf(accent: string): Palette {
  const readable = (candidate: string) => wcagContrast(candidate, LIGHTEST_BACKGROUND) >= AA_TEXT;
  const brand = readable(accent) ? accent : darkenedUntil(accent, readable);
  const hue = oklch(brand)!;
  // Visibly darker than `brand` (a hovered button must change), and at 7:1 with white.
  const brandDark = darkenedUntil(brand, (candidate) => oklch(candidate)!.l <= hue.l - HOVER_STEP && wcagContrast(candidate, WHITE) >= DARK_TARGET);
  const brandSoft = formatHex(clampChroma({ mode: 'oklch', l: 0.955, c: Math.min(hue.c, 0.03), h: hue.h }, 'oklch'));
  return { accent, brand, brandDark, brandSoft, contrastWithWhite: contrastRatio(accent, WHITE), adjusted: brand !== accent };
}

/** The palette of the built-in look (static/app.css and static/survey.css), for emails without an accent. */
export const DEFAULT_PALETTE: Palette = { accent: '#1d5b86', brand: '#1d5b86', brandDark: '#15476a', brandSoft: '#e6f0f7', contrastWithWhite: contrastRatio('#1d5b86', WHITE), adjusted: false };
