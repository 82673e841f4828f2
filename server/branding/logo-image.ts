/**
 * An uploaded logo, judged by its content, never by its name or declared type: PNG, JPEG and
 * WebP by their magic bytes, SVG by its text. Whatever passes is decoded and drawn again as a PNG
 * of bounded size by sharp (libvips), and only that PNG is ever stored and served. So a script in
 * an SVG never runs (it is rasterised by librsvg, which runs no script and fetches nothing), a
 * file that is half image and half HTML loses its other half, and a photo's metadata (EXIF, GPS)
 * is dropped. Emails get a format every mail client shows.
 */
import { createHash } from 'node:crypto';
import type { Metadata } from 'sharp';
import { InvalidError, phrasedFields } from '../errors';
import { Phrase, type PhraseValues } from '../i18n/phrase';

export const MAX_LOGO_BYTES = 512 * 1024;
/** Each side of the uploaded image, in pixels: below it a logo is a smudge, above it a photo. */
const MIN_SIDE = 16;
const MAX_SIDE = 5000;
/** A logo is a wordmark or a mark: one side at most this many times the other. */
const MAX_ASPECT = 8;
/** The stored PNG fits in this box: twice the largest size a page or the printed cover shows. */
export const LOGO_BOX = { width: 1200, height: 400 };
/** Refused before decoding: an image that claims more pixels than this is a decompression bomb. */
const MAX_INPUT_PIXELS = MAX_SIDE * MAX_SIDE;

export type LogoSource = 'png' | 'jpeg' | 'webp' | 'svg';

export interface PreparedLogo {
  png: Buffer;
  width: number;
  height: number;
  /** The first 16 hex digits of the PNG's SHA-256: the URL changes exactly when the image does. */
  hash: string;
  source: LogoSource;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** An SVG document: an optional BOM, XML declaration, comments and doctype, then the svg element. */
const SVG_START = /^\uFEFF?\s*(<\?xml[^>]*\?>\s*)?(<!--[\s\S]*?-->\s*|<!DOCTYPE[^>[]*(\[[\s\S]*?\])?\s*>\s*)*<svg[\s>]/;

/**
 * What the bytes are, from their first bytes (or, for SVG, their text); null for anything else.
 *
 * @example
 * sniffLogoType(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>')); // 'svg'
 * sniffLogoType(Buffer.from('GIF89a…'));                                   // null
 */
export function sniffLogoType(bytes: Buffer): LogoSource | null {
  if (bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return 'png';
  if (bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.subarray(0, 4).toString('latin1') === 'RIFF' && bytes.subarray(8, 12).toString('latin1') === 'WEBP') return 'webp';
  if (SVG_START.test(bytes.subarray(0, 4096).toString('utf8'))) return 'svg';
  return null;
}

// An SVG may point at other files (images, fonts, stylesheets). librsvg loads none of them for an
// image read from memory; refusing them as well says plainly why such a logo would come out blank.
const EXTERNAL_REFERENCE = /(?:href\s*=\s*["']\s*(?!#|data:)[^"'\s]|url\(\s*["']?\s*(?!#|data:)[^)\s]|@import)/i;
const ENTITY_DECLARATION = /<!ENTITY/i;

function refuse(key: string, values?: PhraseValues): never {
  const phrase = new Phrase(`error.logo.${key}`, values);
  throw new InvalidError(phrase, phrasedFields({ logo: phrase }));
}

/** Refuses what an SVG logo must not contain; scripts and event handlers are harmless once rasterised. */
function checkSvgText(bytes: Buffer): void {
  const text = bytes.toString('utf8');
  if (ENTITY_DECLARATION.test(text)) refuse('entities');
  if (EXTERNAL_REFERENCE.test(text)) refuse('external');
}

const FORMAT_NAMES: Record<LogoSource, string> = { png: 'PNG', jpeg: 'JPEG', webp: 'WebP', svg: 'SVG' };

/** Whole kilobytes, rounded up: what a person compares with the limit. */
function kilobytes(bytes: number): number {
  return Math.ceil(bytes / 1024);
}

/**
 * Checks an upload and makes the PNG that will be stored. Throws InvalidError (field `logo`) with
 * a message a person can act on: no file, too large, not one of the four formats, unreadable,
 * too small, too large or too elongated in pixels, or an SVG that refers to other files.
 */
// libvips loads on the first upload, not when the server starts: most servers never see one, and
// every process that loads it keeps the library resident (README, Performance: peak memory).
type Sharp = typeof import('sharp').default;
let sharpLoaded: Promise<Sharp> | undefined;
function loadSharp(): Promise<Sharp> {
  sharpLoaded ??= import('sharp').then((module) => module.default);
  return sharpLoaded;
}

export async function prepareLogo(bytes: Buffer): Promise<PreparedLogo> {
  if (bytes.length === 0) refuse('chooseFile');
  if (bytes.length > MAX_LOGO_BYTES) refuse('tooLarge', { size: kilobytes(bytes.length), max: kilobytes(MAX_LOGO_BYTES) });
  const source = sniffLogoType(bytes);
  if (!source) refuse('notAnImage');
  if (source === 'svg') checkSvgText(bytes);

  const sharp = await loadSharp();
  let metadata: Metadata;
  try {
    metadata = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS }).metadata();
  } catch {
    refuse('unreadable', { format: FORMAT_NAMES[source] });
  }
  if (metadata.format !== source) refuse('notThatFormat', { format: FORMAT_NAMES[source] });
  const width = metadata.autoOrient?.width ?? metadata.width;
  const height = metadata.autoOrient?.height ?? metadata.height;
  if (!width || !height) refuse('noSize');
  if (source !== 'svg') {
    if (Math.min(width, height) < MIN_SIDE) refuse('tooSmall', { width, height, min: MIN_SIDE });
    if (Math.max(width, height) > MAX_SIDE) refuse('tooBig', { width, height, max: MAX_SIDE });
  }
  if (Math.max(width, height) > MAX_ASPECT * Math.min(width, height)) refuse('tooNarrow', { width, height, ratio: MAX_ASPECT });

  // An SVG is drawn at the density that fills the box (its own size is often a few dozen pixels).
  const density = source === 'svg' ? Math.min(2400, Math.max(1, 72 * Math.min(LOGO_BOX.width / width, LOGO_BOX.height / height))) : undefined;
  try {
    const { data, info } = await sharp(bytes, { limitInputPixels: MAX_INPUT_PIXELS, ...(density ? { density } : {}) })
      .autoOrient()
      .resize({ ...LOGO_BOX, fit: 'inside', withoutEnlargement: true })
      .png({ compressionLevel: 9 })
      .toBuffer({ resolveWithObject: true });
    return { png: data, width: info.width, height: info.height, hash: createHash('sha256').update(data).digest('hex').slice(0, 16), source };
  } catch {
    refuse('undrawable', { format: FORMAT_NAMES[source] });
  }
}
