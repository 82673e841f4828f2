import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const VIEWS = path.resolve('views');

function templates(folder: string): string[] {
  return fs
    .readdirSync(path.join(VIEWS, folder), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.hbs'))
    .map((file) => path.join(folder, file));
}

// Pages are served with a strict Content-Security-Policy: an inline style attribute or inline
// script would be silently ignored by browsers, so they must not exist in page templates.
const pageTemplates = [...templates('pages'), ...templates('partials').filter((file) => !file.includes('email-')), 'layouts/main.hbs', 'layouts/survey.hbs', 'layouts/bare.hbs'];

describe('templates', () => {
  it.each(pageTemplates)('%s has no inline style or script and loads nothing from another host', (file) => {
    const source = fs.readFileSync(path.join(VIEWS, file), 'utf8');
    expect(source).not.toMatch(/\sstyle=/);
    expect(source).not.toMatch(/<script(?![^>]*\s(src=|type="application\/json"))[^>]*>/);
    expect(source).not.toMatch(/\son[a-z]+=/i);
    expect(source).not.toMatch(/(src|href)="https?:/);
  });

  it.each(templates('email'))('%s loads no remote image or tracker', (file) => {
    const source = fs.readFileSync(path.join(VIEWS, file), 'utf8');
    expect(source).not.toMatch(/<img/i);
    expect(source).not.toMatch(/https?:\/\//);
  });
});
