import Handlebars from 'handlebars';
import type { Translator } from './translator';

type Node = hbs.AST.Node;

/**
 * `{{t "survey.next"}}` or `(t "survey.next")`: a message asked for by a literal key, without
 * values. Its words are the same on every page in one language.
 */
function messageKeyOf(node: hbs.AST.MustacheStatement | hbs.AST.SubExpression): string | undefined {
  const [key, ...rest] = node.params;
  const named = node.path.type === 'PathExpression' && (node.path as hbs.AST.PathExpression).original === 't';
  if (!named || rest.length > 0 || (node.hash?.pairs.length ?? 0) > 0 || key?.type !== 'StringLiteral') return undefined;
  return (key as hbs.AST.StringLiteral).value;
}

function wordsOf(translator: Translator, key: string): string | undefined {
  try {
    return translator.t(key);
  } catch {
    // An unknown key (or a message that needs values) stays a helper call, and fails as it always did: when it is rendered.
    return undefined;
  }
}

/**
 * Writes the words of every message without values into a parsed template (from
 * Handlebars.parseWithoutProcessing, changed in place), so that a template compiled for one
 * language prints them as text instead of calling the `t` helper on every render: a survey page
 * has a few dozen of them, and each call cost a few microseconds. Messages with values stay
 * helper calls. `escape` is whether the template escapes what it prints (HTML) or not (plain
 * text emails): the words are escaped here exactly as the helper's result would have been.
 *
 * A written mustache keeps its source as the text node's `original`, which is what Handlebars'
 * whitespace control reads to tell a block standing on its own line: it still sees a mustache
 * there, so no whitespace around it is stripped differently.
 */
export function writeMessagesIn(program: hbs.AST.Program, translator: Translator, escape: boolean): hbs.AST.Program {
  const writer = new Handlebars.Visitor() as Handlebars.Visitor & { mutating: boolean } & Record<string, (node: Node) => unknown>;
  writer.mutating = true;
  const visitCall = Handlebars.Visitor.prototype.MustacheStatement as (this: unknown, node: Node) => void;
  writer.MustacheStatement = function (this: unknown, node: Node) {
    const mustache = node as hbs.AST.MustacheStatement;
    const key = messageKeyOf(mustache);
    const words = key === undefined || mustache.strip.open || mustache.strip.close ? undefined : wordsOf(translator, key);
    if (words === undefined) return visitCall.call(this, node);
    // (@types/handlebars calls a content's `original` StripFlags; Handlebars' parser makes it the source text.)
    return {
      type: 'ContentStatement',
      value: escape && mustache.escaped ? Handlebars.Utils.escapeExpression(words) : words,
      original: `{{t "${key}"}}` as unknown as hbs.AST.StripFlags,
      loc: mustache.loc,
    } satisfies hbs.AST.ContentStatement;
  };
  writer.SubExpression = function (this: unknown, node: Node) {
    const call = node as hbs.AST.SubExpression;
    const key = messageKeyOf(call);
    const words = key === undefined ? undefined : wordsOf(translator, key);
    if (words === undefined) return visitCall.call(this, node);
    return { type: 'StringLiteral', value: words, original: words, loc: call.loc } satisfies hbs.AST.StringLiteral;
  };
  writer.accept(program);
  return program;
}
