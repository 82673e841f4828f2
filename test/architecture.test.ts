import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './helpers/server-command';

// The layer rules of docs/architecture.md, checked on the imports of every source file.

interface SourceFile {
  /** Relative to the project, with forward slashes: `server/rounds/rounds.service.ts`. */
  path: string;
  text: string;
  /** What it imports: project files (relative to the project, `.ts` added) or package names. */
  imports: string[];
  /** The same, without `import type` (what it needs when it runs). */
  valueImports: string[];
}

function listSources(folder: string): string[] {
  return fs.readdirSync(path.join(PROJECT_ROOT, folder), { withFileTypes: true }).flatMap((entry) => {
    const relative = `${folder}/${entry.name}`;
    if (entry.isDirectory()) return listSources(relative);
    return entry.name.endsWith('.ts') ? [relative] : [];
  });
}

const SPECIFIER = /(?:^|[\s;])(?:import|export)\s[^'"`;]*?from\s*['"]([^'"]+)['"]|(?:^|[\s;])import\s*['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

function readSource(file: string): SourceFile {
  const text = fs.readFileSync(path.join(PROJECT_ROOT, file), 'utf8');
  const found = [...text.matchAll(SPECIFIER)].map((match) => {
    const specifier = (match[1] ?? match[2] ?? match[3])!;
    const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), specifier));
    return { target: !specifier.startsWith('.') ? specifier : resolved.endsWith('.ts') ? resolved : `${resolved}.ts`, typeOnly: /^[\s;]*(import|export) type\b/.test(match[0]) };
  });
  return { path: file, text, imports: found.map((entry) => entry.target), valueImports: found.filter((entry) => !entry.typeOnly).map((entry) => entry.target) };
}

const sources = [...listSources('server'), ...listSources('reports')].map(readSource);
const under = (folder: string) => sources.filter((source) => source.path.startsWith(`${folder}/`));

/** "file imports target" for every import breaking a rule, so a failure names each one. */
function violations(files: SourceFile[], forbidden: (target: string) => boolean, which: 'imports' | 'valueImports' = 'imports'): string[] {
  return files.flatMap((file) => file[which].filter(forbidden).map((target) => `${file.path} imports ${target}`));
}

describe('the architecture', () => {
  it('reads the imports of every file (this test sees the tree it checks)', () => {
    expect(sources.length).toBeGreaterThan(100);
    const rounds = sources.find((source) => source.path === 'server/rounds/rounds.routes.ts')!;
    expect(rounds.imports).toContain('server/rounds/rounds.service.ts');
    expect(rounds.imports).toContain('hono');
    expect(rounds.imports).toContain('server/rounds/rounds.types.ts');
    expect(rounds.valueImports).not.toContain('server/rounds/rounds.types.ts');
  });

  it('keeps the report engine pure: reports/ imports nothing from server/ and does no I/O', () => {
    const io = /^(node:)?(fs|fs\/promises|net|http|https|child_process|worker_threads|dgram|tls)$|^(better-sqlite3|pg|kysely|nodemailer|hono|@hono\/.*)$/;
    expect(violations(under('reports'), (target) => target.startsWith('server/') || io.test(target))).toEqual([]);
  });

  it('keeps server/db/ and server/mail/ free of features: they import only each other and server/*.ts', () => {
    const shared = (target: string) => target.startsWith('server/db/') || target.startsWith('server/mail/') || /^server\/[^/]+\.ts$/.test(target);
    expect(violations([...under('server/db'), ...under('server/mail')], (target) => target.startsWith('server/') && !shared(target))).toEqual([]);
  });

  it('lets routes reach the database only through services: no *.routes.ts imports a *.repository.ts (types aside)', () => {
    const routes = sources.filter((source) => source.path.endsWith('.routes.ts'));
    expect(violations(routes, (target) => target.endsWith('.repository.ts'), 'valueImports')).toEqual([]);
  });

  it('writes queries only in repositories (and server/db/)', () => {
    const query = /\.(selectFrom|insertInto|updateTable|deleteFrom)\(|\bsql`/;
    const outside = under('server').filter((source) => !source.path.endsWith('.repository.ts') && !source.path.startsWith('server/db/') && query.test(source.text));
    expect(outside.map((source) => source.path)).toEqual([]);
  });

  it('reads the environment only in server/config.ts', () => {
    const readers = under('server').filter((source) => source.path !== 'server/config.ts' && /\bprocess\.env\s*(\.\w|\[)/.test(source.text));
    expect(readers.map((source) => source.path)).toEqual([]);
  });

  it('keeps files in server/ within 350 lines, unless their first comment says why they are longer', () => {
    const long = under('server').filter((source) => source.text.split('\n').length > 350);
    const firstComment = (text: string) => /\/\*[\s\S]*?\*\/|(?:^|\n)\s*\/\/[^\n]*/.exec(text)?.[0] ?? '';
    expect(long.filter((source) => !/350 lines/.test(firstComment(source.text))).map((source) => `${source.path}: ${source.text.split('\n').length} lines`)).toEqual([]);
  });
});
