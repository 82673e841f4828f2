/**
 * Text as the inside of a double-quoted CSS string, for the printed report's running header
 * (views/partials/print-cover.hbs), written into a <style> element where HTML escaping does not
 * apply: quotes, backslashes and line breaks are CSS-escaped, and so are < and >, so that no name
 * can close the element ("</style>") or open another.
 *
 * @example
 * cssString('Smith & "Co" </style>'); // 'Smith & \\22 Co\\22  \\3c /style\\3e '
 */
export function cssString(value: unknown): string {
  return String(value ?? '').replace(/[\\"<>\u0000-\u001f\u007f]/g, (character) => `\\${character.codePointAt(0)!.toString(16)} `);
}
