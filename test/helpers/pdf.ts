import fs from 'node:fs';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** The text of each page of a PDF file (pdf.js), its pieces joined by spaces. */
export async function pdfPages(file: string): Promise<string[]> {
  const document = await getDocument({ data: new Uint8Array(fs.readFileSync(file)) }).promise;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number += 1) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(content.items.map((item) => ('str' in item ? item.str : '')).join(' '));
  }
  return pages;
}
