import { parse, TYPE, type MessageFormatElement } from '@formatjs/icu-messageformat-parser';
import type { Catalogue } from '../../server/i18n/translator';

/** The arguments a message uses, with how it uses them ("count:plural", "name:argument"), and its tags. */
export function argumentsOf(message: string): string[] {
  const found = new Set<string>();
  const visit = (elements: MessageFormatElement[]) => {
    for (const element of elements) {
      if (element.type === TYPE.argument) found.add(`${element.value}:argument`);
      if (element.type === TYPE.number) found.add(`${element.value}:number`);
      if (element.type === TYPE.date || element.type === TYPE.time) found.add(`${element.value}:date`);
      if (element.type === TYPE.plural || element.type === TYPE.select) {
        found.add(`${element.value}:${element.type === TYPE.plural ? 'plural' : 'select'}`);
        for (const option of Object.values(element.options)) visit(option.value);
      }
      if (element.type === TYPE.tag) {
        found.add(`<${element.value}>`);
        visit(element.children);
      }
    }
  };
  visit(parse(message));
  return [...found].sort();
}

/**
 * What is wrong with a translation of the source catalogue: keys missing or extra, messages that
 * do not parse, and messages whose arguments differ from the source's (a "{count, plural, …}" that
 * became "{count}", a "{name}" misspelt). Empty when the catalogue is complete.
 */
export function catalogueProblems(source: Catalogue, translation: Catalogue): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(source)) if (!(key in translation)) problems.push(`missing ${key}`);
  for (const key of Object.keys(translation)) if (!(key in source)) problems.push(`extra ${key}`);
  for (const [key, message] of Object.entries(translation)) {
    if (!(key in source)) continue;
    let used: string[];
    try {
      used = argumentsOf(message);
    } catch (error) {
      problems.push(`${key} does not parse: ${(error as Error).message}`);
      continue;
    }
    const expected = argumentsOf(source[key]!);
    if (used.join(' ') !== expected.join(' ')) problems.push(`${key} uses ${used.join(', ') || 'no arguments'} instead of ${expected.join(', ') || 'no arguments'}`);
  }
  return problems;
}
