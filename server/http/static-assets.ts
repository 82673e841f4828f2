import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Handler } from 'hono';

const CONTENT_TYPES: Record<string, string> = {
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

interface Asset {
  body: Uint8Array;
  contentType: string;
  version: string;
}

export interface StaticAssets {
  /** `/static/<name>?v=<content hash>`: the URL changes whenever the file does, so it can be cached for a year. */
  url(name: string): string;
  handler: Handler;
}

/**
 * Loads our own static files and the vendored browser libraries (Chart.js from node_modules) into
 * memory once. Nothing is fetched from another host at run time.
 */
export function loadStaticAssets(staticDir: string, vendored: Record<string, string>): StaticAssets {
  const assets = new Map<string, Asset>();
  const add = (name: string, file: string) => {
    const body = fs.readFileSync(file);
    const contentType = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    assets.set(name, { body, contentType, version: createHash('sha256').update(body).digest('hex').slice(0, 12) });
  };
  for (const file of fs.readdirSync(staticDir, { recursive: true, encoding: 'utf8' })) {
    const full = path.join(staticDir, file);
    if (fs.statSync(full).isFile()) add(file.split(path.sep).join('/'), full);
  }
  for (const [name, file] of Object.entries(vendored)) add(name, file);

  return {
    url(name) {
      const asset = assets.get(name);
      if (!asset) throw new Error(`Unknown static asset ${name}`);
      return `/static/${name}?v=${asset.version}`;
    },
    handler(c) {
      const asset = assets.get(c.req.path.replace(/^\/static\//, ''));
      if (!asset) return c.notFound();
      const pinned = c.req.query('v') === asset.version;
      return c.body(asset.body as Uint8Array<ArrayBuffer>, 200, {
        'Content-Type': asset.contentType,
        'Cache-Control': pinned ? 'public, max-age=31536000, immutable' : 'public, max-age=300',
        ETag: `"${asset.version}"`,
      });
    },
  };
}
