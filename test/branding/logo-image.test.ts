import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { InvalidError } from '../../server/errors';
import { MAX_LOGO_BYTES, prepareLogo, sniffLogoType } from '../../server/branding/logo-image';

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

async function refusal(bytes: Buffer): Promise<string> {
  const error = await prepareLogo(bytes).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(InvalidError);
  return (error as InvalidError).message;
}

function pngOf(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 4, background: { r: 15, g: 118, b: 110, alpha: 1 } } }).png().toBuffer();
}

describe('an uploaded logo', () => {
  it('is judged by its content: a text file, a GIF and bytes after a PNG signature are refused', async () => {
    expect(await refusal(Buffer.from('<html><body>not an image</body></html>'))).toMatch(/not a PNG, JPEG, WebP or SVG/);
    expect(await refusal(Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1'))).toMatch(/not a PNG, JPEG, WebP or SVG/);
    expect(await refusal(Buffer.concat([PNG_SIGNATURE, Buffer.from('<script>alert(1)</script>'.repeat(20))]))).toMatch(/could not be read|is not one|could not be drawn/);
    expect(await refusal(Buffer.alloc(0))).toMatch(/Choose an image file/);
  });

  it('is refused above the size limit, however valid', async () => {
    const large = Buffer.concat([await pngOf(64, 64), Buffer.alloc(MAX_LOGO_BYTES)]);
    expect(await refusal(large)).toMatch(/at most 512 KB/);
  });

  it('is stored as a PNG drawn again from it: an SVG with a script keeps nothing of the script', async () => {
    const svg = Buffer.from(
      '<svg xmlns="http://www.w3.org/2000/svg" width="90" height="30" onload="alert(1)"><script>alert(document.cookie)</script><rect width="90" height="30" fill="#0f766e"/></svg>',
    );
    expect(sniffLogoType(svg)).toBe('svg');
    const logo = await prepareLogo(svg);
    expect(logo.source).toBe('svg');
    expect(logo.png.subarray(0, 8).equals(PNG_SIGNATURE)).toBe(true);
    expect(logo.png.toString('latin1')).not.toMatch(/script|alert|onload/i);
    expect(logo.width / logo.height).toBeCloseTo(3, 1);
    const decoded = await sharp(logo.png).metadata();
    expect(decoded.format).toBe('png');
  });

  it('loses what a polyglot carries after its image: a PNG with HTML appended comes back as the image alone', async () => {
    const image = await pngOf(120, 40);
    const polyglot = Buffer.concat([image, Buffer.from('<html><script>alert(1)</script></html>')]);
    const logo = await prepareLogo(polyglot);
    expect(logo.png.toString('latin1')).not.toContain('<script>');
    expect([logo.width, logo.height]).toEqual([120, 40]);
  });

  it('refuses an SVG that refers to other files or declares entities, and a logo too small or too elongated', async () => {
    expect(await refusal(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><image href="https://example.com/x.png" width="40" height="40"/></svg>'))).toMatch(/refers to files outside itself/);
    expect(await refusal(Buffer.from('<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><text>&x;</text></svg>'))).toMatch(/declares XML entities/);
    expect(await refusal(await pngOf(10, 10))).toMatch(/at least 16 pixels/);
    expect(await refusal(await pngOf(900, 100))).toMatch(/more than 8 times/);
  });
});
